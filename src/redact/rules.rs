//! The built-in rule table: one entry per credential kind, each with the keywords that must
//! appear for it to be tried, a pattern whose `s*` groups mark the secret, and a validator.

use super::check::{Check, ValueKind};

/// Priority of an exact configured value: known secrets win every overlap.
pub(super) const P_EXACT: u8 = 100;
/// Priority of user rules from config.
pub(super) const P_USER: u8 = 60;
/// Structured, prefixed tokens.
const P_SPECIFIC: u8 = 50;
/// Keyed on a vendor name plus a value shape.
const P_CONTEXT: u8 = 40;
/// URLs, headers, flags.
const P_STRUCT: u8 = 30;
/// Generic `key = value` assignments.
const P_GENERIC: u8 = 10;

/// One built-in rule before compilation.
pub(super) struct Spec {
    pub id: &'static str,
    pub keywords: &'static [&'static str],
    pub pattern: &'static str,
    pub check: Check,
    pub priority: u8,
    /// Set for the generic `key = value` family, which shares one regex ([`GENERIC_PATTERN`])
    /// and is told apart by the key name.
    pub generic: Option<GenericClass>,
    /// A byte the segment must contain for the regex to be worth running (`@` for URL
    /// credentials, whose `://` keyword is common in ordinary logs).
    pub needs: Option<u8>,
}

/// Which generic assignment a key name belongs to, checked in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GenericClass {
    Password,
    AiProvider,
    Secret,
    ApiKey,
    Token,
}

impl GenericClass {
    /// Classes in the order a key is tested against them.
    pub const ORDER: [GenericClass; 5] = [
        GenericClass::Password,
        GenericClass::AiProvider,
        GenericClass::Secret,
        GenericClass::ApiKey,
        GenericClass::Token,
    ];

    /// Whether a key, lower-cased with `_`, `-` and `.` removed, belongs to this class.
    pub fn matches(self, squashed: &[u8]) -> bool {
        let has = |w: &str| memchr::memmem::find(squashed, w.as_bytes()).is_some();
        match self {
            GenericClass::Password => {
                ["password", "passwd", "pwd", "passphrase", "pass"]
                    .iter()
                    .any(|w| has(w))
                    // A Wi-Fi pre-shared key (`psk=`, `wpa_psk=`) is a passphrase.
                    || squashed.ends_with(b"psk")
            }
            GenericClass::AiProvider => {
                has("key")
                    && [
                        "cohere",
                        "mistral",
                        "deepseek",
                        "together",
                        "fireworks",
                        "voyage",
                        "gemini",
                        "openai",
                        "anthropic",
                        "groq",
                    ]
                    .iter()
                    .any(|w| has(w))
            }
            GenericClass::Secret => [
                "secret",
                "privatekey",
                "signingkey",
                "encryptionkey",
                "masterkey",
                "credential",
            ]
            .iter()
            .any(|w| has(w)),
            GenericClass::ApiKey => [
                "apikey",
                "accesskey",
                "appkey",
                "authkey",
                "clientkey",
                "licensekey",
                "subscriptionkey",
                "consumerkey",
            ]
            .iter()
            .any(|w| has(w)),
            GenericClass::Token => has("token"),
        }
    }
}

const fn prefixed(
    id: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
) -> Spec {
    Spec {
        id,
        keywords,
        pattern,
        check: Check::Random,
        priority: P_SPECIFIC,
        generic: None,
        needs: None,
    }
}

const fn context(
    id: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
) -> Spec {
    Spec {
        id,
        keywords,
        pattern,
        check: Check::Random,
        priority: P_CONTEXT,
        generic: None,
        needs: None,
    }
}

const fn structural(
    id: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
    kind: ValueKind,
) -> Spec {
    Spec {
        id,
        keywords,
        pattern,
        check: Check::Value(kind),
        priority: P_STRUCT,
        generic: None,
        needs: None,
    }
}

const fn generic(
    id: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
    kind: ValueKind,
) -> Spec {
    Spec {
        id,
        keywords,
        pattern,
        check: Check::Value(kind),
        priority: P_GENERIC,
        generic: None,
        needs: None,
    }
}

const fn assignment(
    id: &'static str,
    keywords: &'static [&'static str],
    class: GenericClass,
    kind: ValueKind,
    priority: u8,
) -> Spec {
    Spec {
        id,
        keywords,
        pattern: GENERIC_PATTERN,
        check: Check::Value(kind),
        priority,
        generic: Some(class),
        needs: None,
    }
}

/// The id of the multi-line/single-line PEM private-key rule (also used for held blocks).
pub(super) const PRIVATE_KEY_ID: &str = "private-key";

/// `key <sep> value` tail shared by context rules: optional closing quote (maybe escaped),
/// then `=`, `:`, `:=`, `=>`, `||=` or `??=`, then an optional opening quote — taken only
/// when what follows needs it (lazy), so a quoted value is matched whole by its quoted
/// alternative (`password = "correct horse battery staple"`), not cut at its first space.
macro_rules! assign {
    () => {
        r#"\\?["']?\s*(?:\|\|=|\?\?=|:=|=>|=|:)\s*\\?["']??"#
    };
}

/// The value alternatives shared by generic assignments: double-quoted, single-quoted, bare.
macro_rules! value {
    () => {
        r#"(?:"(?P<s1>[^"\\\r\n]+)"|\\"(?P<s2>[^"\\\r\n]+)\\"|'(?P<s3>[^'\r\n]+)'|(?P<s4>[^\s"'\\,;&<>(){}\[\]|`:=][^\s"'\\,;&<>(){}\[\]|`]*))"#
    };
}

/// The shared generic assignment: a key of identifier characters, a separator, a value. The
/// key's name decides the class ([`GenericClass`]) after the match.
pub(super) const GENERIC_PATTERN: &str = concat!(r"(?P<k>[A-Za-z0-9_.\-]+)", assign!(), value!());

/// All built-in rules.
pub(super) const SPECS: &[Spec] = &[
    // ---- Cloud providers ----
    prefixed(
        "aws-access-key-id",
        &["akia", "asia", "abia", "acca", "a3t"],
        r"\b(?P<s>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
    ),
    context(
        "aws-secret-access-key",
        &["secret_access_key", "secretaccesskey", "secret-access-key"],
        concat!(
            r"(?i)secret[_\-]?access[_\-]?key",
            // `aws configure set aws_secret_access_key VALUE` separates with a space.
            r#"(?:\\?["']?\s*(?:\|\|=|\?\?=|:=|=>|=|:)\s*\\?["']??|\s+)"#,
            r"(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"
        ),
    ),
    context(
        "aws-session-token",
        &["session_token", "sessiontoken", "x-amz-security-token"],
        concat!(
            r"(?i)(?:session[_\-]?token|x-amz-security-token)",
            assign!(),
            r"(?P<s>[A-Za-z0-9/+=]{100,})"
        ),
    ),
    prefixed(
        "gcp-api-key",
        &["aiza"],
        r"\b(?P<s>AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)",
    ),
    Spec {
        id: "gcp-service-account-key",
        keywords: &["private_key"],
        pattern: r#""private_key"\s*:\s*"(?P<s>-----BEGIN[^"]{20,})""#,
        check: Check::Any,
        priority: P_SPECIFIC + 5,
        generic: None,
        needs: None,
    },
    prefixed(
        "gcp-oauth-client-secret",
        &["gocspx-"],
        r"\b(?P<s>GOCSPX-[A-Za-z0-9_\-]{28})(?:[^A-Za-z0-9_\-]|$)",
    ),
    prefixed(
        "google-oauth-access-token",
        &["ya29."],
        r"\b(?P<s>ya29\.[0-9A-Za-z_\-]{30,})",
    ),
    prefixed(
        "google-oauth-refresh-token",
        &["1//0"],
        r"(?P<s>1//0[0-9A-Za-z_\-]{40,})",
    ),
    prefixed(
        "azure-storage-account-key",
        &["accountkey="],
        r"(?i)AccountKey=(?P<s>[A-Za-z0-9+/]{86}==)",
    ),
    prefixed(
        "azure-shared-access-key",
        &["sharedaccesskey="],
        r"(?i)SharedAccessKey=(?P<s>[A-Za-z0-9+/]{42,43}=)",
    ),
    prefixed(
        "azure-sas-token",
        &["sig="],
        r"[?&;]sig=(?P<s>[A-Za-z0-9%+/]{40,}(?:%3D|=){0,2})",
    ),
    prefixed(
        "azure-ad-client-secret",
        &["q~"],
        r#"(?:^|[\s'"=:(,>`\\])(?P<s>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?:$|[\s'"<),`\\;])"#,
    ),
    prefixed(
        "alibaba-access-key-id",
        &["ltai"],
        r"\b(?P<s>LTAI[A-Za-z0-9]{12,20})\b",
    ),
    prefixed(
        "tencent-secret-id",
        &["akid"],
        r"\b(?P<s>AKID[A-Za-z0-9]{32})\b",
    ),
    prefixed(
        "digitalocean-token",
        &["dop_v1_", "doo_v1_", "dor_v1_"],
        r"\b(?P<s>do[por]_v1_[a-f0-9]{64})\b",
    ),
    Spec {
        id: "heroku-api-key",
        keywords: &["hrku-", "heroku"],
        pattern: concat!(
            r"\b(?P<s>HRKU-[A-Za-z0-9_\-]{60})|(?i:heroku)[A-Za-z0-9_.\-]{0,25}",
            assign!(),
            r"(?P<s2>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
        ),
        check: Check::Random,
        priority: P_SPECIFIC,
        generic: None,
        needs: None,
    },
    prefixed(
        "vault-token",
        &["hvs.", "hvb.", "hvr."],
        r"\b(?P<s>hv[sbr]\.[A-Za-z0-9_\-]{24,})",
    ),
    prefixed(
        "terraform-cloud-token",
        &["atlasv1"],
        r"\b(?P<s>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70})",
    ),
    context(
        "cloudflare-api-token",
        &["cloudflare", "cf_api", "cf_token", "cf-api"],
        concat!(
            r"(?i)(?:cloudflare|cf)[_\-]?(?:api)?[_\-]?(?:token|key)",
            assign!(),
            r"(?P<s>[A-Za-z0-9_\-]{37,40})(?:[^A-Za-z0-9_\-]|$)"
        ),
    ),
    prefixed(
        "cloudflare-origin-ca-key",
        &["v1.0-"],
        r"\b(?P<s>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})",
    ),
    prefixed(
        "fly-io-token",
        &["fm1_", "fm2_", "fm1a_", "fm2_", "fo1_"],
        r"\b(?P<s>fm[12][ar]?_[A-Za-z0-9+/=_\-]{100,})|\b(?P<s2>fo1_[A-Za-z0-9_\-]{43})",
    ),
    prefixed(
        "supabase-token",
        &["sbp_", "sb_secret_"],
        r"\b(?P<s>sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_\-]{30,})",
    ),
    prefixed(
        "planetscale-token",
        &["pscale_"],
        r"\b(?P<s>pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_\-.=]{32,64})",
    ),
    prefixed(
        "databricks-token",
        &["dapi"],
        r"\b(?P<s>dapi[a-f0-9]{32}(?:-\d)?)\b",
    ),
    prefixed(
        "tailscale-key",
        &["tskey-"],
        r"\b(?P<s>tskey-[a-z]+-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,})",
    ),
    prefixed("pulumi-token", &["pul-"], r"\b(?P<s>pul-[a-f0-9]{40})\b"),
    prefixed(
        "doppler-token",
        &[
            "dp.pt.",
            "dp.st.",
            "dp.sa.",
            "dp.ct.",
            "dp.scim.",
            "dp.audit.",
        ],
        // Service tokens may carry the config name: dp.st.prd.<40+>.
        r"\b(?P<s>dp\.(?:pt|st|sa|ct|scim|audit)\.(?:[a-z0-9_\-]{2,35}\.)?[A-Za-z0-9_\-]{40,44})",
    ),
    prefixed(
        "netlify-token",
        &["nfp_"],
        r"\b(?P<s>nfp_[A-Za-z0-9]{36,40})\b",
    ),
    prefixed(
        "1password-service-account-token",
        &["ops_eyj"],
        r"\b(?P<s>ops_eyJ[A-Za-z0-9+/_\-]{200,}={0,3})",
    ),
    prefixed(
        "age-secret-key",
        &["age-secret-key-1"],
        r"(?P<s>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})",
    ),
    // ---- VCS hosts ----
    prefixed(
        "github-pat",
        &["ghp_"],
        r"\b(?P<s>ghp_[A-Za-z0-9]{36,40})\b",
    ),
    prefixed(
        "github-fine-grained-pat",
        &["github_pat_"],
        r"\b(?P<s>github_pat_[A-Za-z0-9_]{60,100})\b",
    ),
    prefixed(
        "github-oauth-token",
        &["gho_"],
        r"\b(?P<s>gho_[A-Za-z0-9]{36,40})\b",
    ),
    prefixed(
        "github-app-token",
        &["ghu_", "ghs_"],
        r"\b(?P<s>gh[us]_[A-Za-z0-9]{36,40})\b",
    ),
    prefixed(
        "github-refresh-token",
        &["ghr_"],
        r"\b(?P<s>ghr_[A-Za-z0-9]{36,80})\b",
    ),
    prefixed(
        "gitlab-pat",
        &["glpat-"],
        r"\b(?P<s>glpat-[A-Za-z0-9_\-.]{20,})",
    ),
    prefixed(
        "gitlab-runner-token",
        &["glrt-", "gr1348941"],
        r"\b(?P<s>glrt-[A-Za-z0-9_\-.]{20,}|GR1348941[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "gitlab-pipeline-trigger-token",
        &["glptt-"],
        r"\b(?P<s>glptt-[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "gitlab-deploy-token",
        &["gldt-"],
        r"\b(?P<s>gldt-[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "gitlab-ci-job-token",
        &["glcbt-"],
        r"\b(?P<s>glcbt-[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "gitlab-feed-token",
        &["glft-"],
        r"\b(?P<s>glft-[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "gitlab-oauth-secret",
        &["gloas-"],
        r"\b(?P<s>gloas-[a-f0-9]{64})\b",
    ),
    prefixed(
        "gitlab-agent-token",
        &["glagent-"],
        r"\b(?P<s>glagent-[A-Za-z0-9_\-]{50,})",
    ),
    prefixed(
        "gitlab-incoming-mail-token",
        &["glimt-"],
        r"\b(?P<s>glimt-[A-Za-z0-9_\-]{25})\b",
    ),
    prefixed(
        "gitlab-scim-token",
        &["glsoat-"],
        r"\b(?P<s>glsoat-[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "gitlab-feature-flag-token",
        &["glffct-"],
        r"\b(?P<s>glffct-[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "bitbucket-app-password",
        &["atbb"],
        r"\b(?P<s>ATBB[A-Za-z0-9_=.\-]{28,})",
    ),
    context(
        "bitbucket-client-secret",
        &["bitbucket"],
        concat!(
            r"(?i)bitbucket[A-Za-z0-9_.\-]{0,20}(?:secret|token|password)",
            assign!(),
            r"(?P<s>[A-Za-z0-9=_\-]{32,64})"
        ),
    ),
    prefixed(
        "atlassian-api-token",
        &["atatt3"],
        r"\b(?P<s>ATATT3[A-Za-z0-9_\-=]{150,})",
    ),
    prefixed(
        "huggingface-token",
        &["hf_", "api_org_"],
        r"\b(?P<s>(?:hf_|api_org_)[A-Za-z0-9]{30,40})\b",
    ),
    // ---- Chat and webhooks ----
    prefixed(
        "slack-token",
        &["xox"],
        r"\b(?P<s>xox[abposre]-[0-9A-Za-z\-]{10,}|xoxe\.xox[bp]-1-[0-9A-Za-z\-]{20,})",
    ),
    prefixed(
        "slack-app-token",
        &["xapp-"],
        r"\b(?P<s>xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)",
    ),
    prefixed(
        "slack-webhook",
        &["hooks.slack.com"],
        r"(?i)hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9+/_\-]{20,})",
    ),
    prefixed(
        "discord-webhook",
        &["discord"],
        r"(?i)discord(?:app)?\.com/api(?:/v\d+)?/webhooks/\d+/(?P<s>[A-Za-z0-9_\-]{60,80})",
    ),
    context(
        "discord-bot-token",
        &["discord", "bot"],
        concat!(
            r"(?i:discord|bot)[A-Za-z0-9_.\-]{0,25}(?:",
            assign!(),
            r"|\s+)(?P<s>[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40})"
        ),
    ),
    prefixed(
        "telegram-bot-token",
        &[":aa"],
        r"(?:bot|\b)(?P<s>\d{8,10}:AA[A-Za-z0-9_\-]{33})(?:[^A-Za-z0-9_\-]|$)",
    ),
    prefixed(
        "teams-webhook",
        &["webhook.office.com", "outlook.office.com/webhook"],
        r"(?i)(?:webhook\.office\.com|outlook\.office\.com)/webhookb?2?/(?P<s>[A-Za-z0-9@/_\-]{40,})",
    ),
    context(
        "twilio-credential",
        &["twilio"],
        concat!(
            r"(?i)twilio[A-Za-z0-9_.\-]{0,25}",
            assign!(),
            r"(?P<s>SK[0-9a-fA-F]{32}|[0-9a-f]{32})\b"
        ),
    ),
    prefixed(
        "sendgrid-api-key",
        &["sg."],
        r"\b(?P<s>SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)",
    ),
    Spec {
        id: "mailgun-api-key",
        keywords: &["key-", "mailgun"],
        pattern: concat!(
            r"\b(?P<s>key-[0-9a-f]{32})\b|(?i:mailgun)[A-Za-z0-9_.\-]{0,25}",
            assign!(),
            r"(?P<s2>[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})"
        ),
        check: Check::Random,
        priority: P_SPECIFIC,
        generic: None,
        needs: None,
    },
    prefixed(
        "mailchimp-api-key",
        &["-us"],
        r"\b(?P<s>[0-9a-f]{32}-us\d{1,2})\b",
    ),
    // ---- Payments ----
    prefixed(
        "stripe-secret-key",
        &[
            "sk_live_", "sk_test_", "rk_live_", "rk_test_", "sk_prod_", "rk_prod_",
        ],
        r"\b(?P<s>[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,255})\b",
    ),
    prefixed(
        "stripe-webhook-secret",
        &["whsec_"],
        r"\b(?P<s>whsec_[A-Za-z0-9+/=]{32,})",
    ),
    prefixed(
        "square-token",
        &["sq0atp-", "sq0csp-", "eaaa"],
        r"\b(?P<s>sq0atp-[0-9A-Za-z_\-]{22}|sq0csp-[0-9A-Za-z_\-]{43}|EAAA[A-Za-z0-9_\-+=]{60})",
    ),
    prefixed(
        "shopify-token",
        &["shpat_", "shpca_", "shppa_", "shpss_"],
        r"\b(?P<s>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b",
    ),
    prefixed(
        "braintree-access-token",
        &["access_token$production", "access_token$sandbox"],
        r"(?P<s>access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})",
    ),
    prefixed(
        "plaid-access-token",
        &[
            "access-production-",
            "access-sandbox-",
            "access-development-",
        ],
        r"\b(?P<s>access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b",
    ),
    prefixed(
        "shippo-token",
        &["shippo_live_", "shippo_test_"],
        r"\b(?P<s>shippo_(?:live|test)_[a-f0-9]{40})\b",
    ),
    prefixed(
        "easypost-token",
        &["ezak", "eztk"],
        r"\b(?P<s>EZ[AT]K[A-Za-z0-9]{54})\b",
    ),
    prefixed(
        "flutterwave-secret-key",
        &["flwseck"],
        r"\b(?P<s>FLWSECK(?:_TEST)?-[a-h0-9]{32}-X)",
    ),
    // ---- AI providers ----
    Spec {
        id: "anthropic-api-key",
        keywords: &["sk-ant-"],
        pattern: r"\b(?P<s>sk-ant-[a-z]+\d{0,2}-[A-Za-z0-9_\-]{32,})",
        check: Check::Random,
        priority: P_SPECIFIC + 2,
        generic: None,
        needs: None,
    },
    Spec {
        id: "openrouter-api-key",
        keywords: &["sk-or-"],
        pattern: r"\b(?P<s>sk-or-v1-[a-f0-9]{64})\b",
        check: Check::Random,
        priority: P_SPECIFIC + 2,
        generic: None,
        needs: None,
    },
    Spec {
        id: "openai-api-key",
        keywords: &[
            "sk-proj-",
            "sk-svcacct-",
            "sk-admin-",
            "sk-none-",
            "t3blbkfj",
        ],
        pattern: r"\b(?P<s>sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_\-]{20,}|sk-[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,})",
        check: Check::Random,
        priority: P_SPECIFIC + 1,
        generic: None,
        needs: None,
    },
    Spec {
        id: "llm-api-key",
        keywords: &["sk-"],
        pattern: r"\b(?P<s>sk-[A-Za-z0-9_\-]{32,})",
        check: Check::Random,
        priority: P_CONTEXT,
        generic: None,
        needs: None,
    },
    prefixed(
        "groq-api-key",
        &["gsk_"],
        r"\b(?P<s>gsk_[A-Za-z0-9]{48,56})\b",
    ),
    prefixed(
        "replicate-api-token",
        &["r8_"],
        r"\b(?P<s>r8_[A-Za-z0-9]{37})\b",
    ),
    prefixed(
        "perplexity-api-key",
        &["pplx-"],
        r"\b(?P<s>pplx-[A-Za-z0-9]{48})\b",
    ),
    prefixed("xai-api-key", &["xai-"], r"\b(?P<s>xai-[A-Za-z0-9]{80})\b"),
    prefixed(
        "langsmith-api-key",
        &["lsv2_"],
        r"\b(?P<s>lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b",
    ),
    assignment(
        "ai-provider-key",
        &[
            "cohere",
            "mistral",
            "deepseek",
            "together",
            "fireworks",
            "voyage",
            "gemini",
            "openai",
            "anthropic",
            "groq",
        ],
        GenericClass::AiProvider,
        ValueKind::Secret,
        P_STRUCT,
    ),
    // ---- Package registries ----
    prefixed(
        "npm-access-token",
        &["npm_"],
        r"\b(?P<s>npm_[A-Za-z0-9]{36})\b",
    ),
    structural(
        "npmrc-auth",
        &[
            "_authtoken",
            "_auth=",
            ":_auth",
            "_password",
            "npmauthtoken",
            "npmauthident",
        ],
        r#"(?i)(?:^\s*|:)(?:_authToken|_auth|_password|npmAuthToken|npmAuthIdent)\s*[=:]\s*["']?(?P<s>[^\s"';]+)"#,
        ValueKind::Header,
    ),
    prefixed(
        "pypi-upload-token",
        &["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"],
        r"\b(?P<s>pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})",
    ),
    prefixed(
        "dockerhub-token",
        &["dckr_pat_", "dckr_oat_"],
        r"\b(?P<s>dckr_(?:pat|oat)_[A-Za-z0-9_\-]{20,})",
    ),
    structural(
        "docker-config-auth",
        &["\"auth\"", "identitytoken", "registrytoken"],
        r#"(?i)"(?:auth|identitytoken|registrytoken)"\s*:\s*"(?P<s>[A-Za-z0-9+/=_\-.]{8,})""#,
        ValueKind::Header,
    ),
    prefixed(
        "rubygems-api-key",
        &["rubygems_"],
        r"\b(?P<s>rubygems_[a-f0-9]{48})\b",
    ),
    prefixed("nuget-api-key", &["oy2"], r"\b(?P<s>oy2[a-z0-9]{43})\b"),
    prefixed(
        "clojars-token",
        &["clojars_"],
        r"\b(?P<s>CLOJARS_[a-z0-9]{60})\b",
    ),
    prefixed(
        "crates-io-token",
        &["cio"],
        r"\b(?P<s>cio[A-Za-z0-9]{32})\b",
    ),
    prefixed(
        "artifactory-token",
        &["akcp", "cmvmdgtuojaxoj"],
        r"\b(?P<s>AKCp[A-Za-z0-9]{69}|cmVmdGtuOjAxOj[A-Za-z0-9+/=]{50,})",
    ),
    prefixed(
        "sonarqube-token",
        &["squ_", "sqp_", "sqa_"],
        r"\b(?P<s>sq[upa]_[a-f0-9]{40})\b",
    ),
    // ---- Observability and SaaS ----
    prefixed(
        "sentry-token",
        &["sntrys_", "sntryu_"],
        r"\b(?P<s>sntrys_eyJ[A-Za-z0-9+/=_\-]{50,}|sntryu_[a-f0-9]{64})",
    ),
    prefixed(
        "newrelic-key",
        &["nrak-", "nrii-", "nrjs-"],
        r"\b(?P<s>NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_\-]{32}|NRJS-[a-f0-9]{19})\b",
    ),
    context(
        "datadog-api-key",
        &["datadog", "dd_api", "dd_app", "dd-api", "dd-app"],
        concat!(
            r"(?i)(?:datadog|dd)[_\-]?(?:api|app|application)[_\-]?key",
            assign!(),
            r"(?P<s>[a-f0-9]{40}|[a-f0-9]{32})\b"
        ),
    ),
    prefixed(
        "linear-api-key",
        &["lin_api_"],
        r"\b(?P<s>lin_api_[A-Za-z0-9]{40})\b",
    ),
    prefixed(
        "notion-token",
        &["ntn_", "secret_"],
        r"\b(?P<s>ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})\b",
    ),
    prefixed(
        "postman-api-key",
        &["pmak-"],
        r"\b(?P<s>PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b",
    ),
    prefixed(
        "figma-token",
        &["figd_"],
        r"\b(?P<s>figd_[A-Za-z0-9_\-]{40,})",
    ),
    prefixed(
        "grafana-token",
        &["glc_", "glsa_"],
        r"\b(?P<s>glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})",
    ),
    prefixed(
        "dynatrace-token",
        &["dt0c01."],
        r"\b(?P<s>dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b",
    ),
    prefixed(
        "buildkite-token",
        &["bkua_"],
        r"\b(?P<s>bkua_[a-f0-9]{40})\b",
    ),
    prefixed(
        "circleci-token",
        &["ccipat_"],
        r"\b(?P<s>CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b",
    ),
    prefixed(
        "typeform-token",
        &["tfp_"],
        r"\b(?P<s>tfp_[A-Za-z0-9_\-.=]{59})",
    ),
    prefixed(
        "prefect-api-key",
        &["pnu_"],
        r"\b(?P<s>pnu_[A-Za-z0-9]{36})\b",
    ),
    prefixed(
        "readme-api-key",
        &["rdme_"],
        r"\b(?P<s>rdme_[a-z0-9]{70})\b",
    ),
    prefixed(
        "infracost-api-key",
        &["ico-"],
        r"\b(?P<s>ico-[A-Za-z0-9]{32})\b",
    ),
    prefixed(
        "octopus-deploy-api-key",
        &["api-"],
        r"\b(?P<s>API-[A-Z0-9]{26})\b",
    ),
    prefixed(
        "harness-pat",
        &["pat."],
        r"\b(?P<s>pat\.[A-Za-z0-9_\-]{22}\.[0-9a-f]{24}\.[A-Za-z0-9]{20})\b",
    ),
    prefixed(
        "mapbox-secret-token",
        &["sk.eyj"],
        r"\b(?P<s>sk\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,})",
    ),
    prefixed(
        "firebase-cloud-messaging-key",
        &["apa91b"],
        r"(?P<s>AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134})",
    ),
    Spec {
        id: "twitter-bearer-token",
        keywords: &["aaaaaaaaaaaaaaaaaaaaa"],
        // The run of A's is bounded and must end in a non-A: `A{21,}[A-Za-z0-9%]{80,}` was
        // ambiguous, and a line of A's cost ~1 s of CPU per MiB.
        pattern: r"\b(?P<s>A{21,24}[B-Za-z0-9%][A-Za-z0-9%]{79,160})",
        check: Check::Any,
        priority: P_SPECIFIC,
        generic: None,
        needs: None,
    },
    prefixed(
        "facebook-access-token",
        &["eaab", "eaag"],
        r"\b(?P<s>EAA[BG][A-Za-z0-9]{80,})",
    ),
    // ---- Structural: keys, JWTs, URLs, headers ----
    Spec {
        id: "jwt",
        keywords: &["eyj"],
        pattern: r"\b(?P<s>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*)",
        check: Check::Any,
        priority: P_CONTEXT,
        generic: None,
        needs: None,
    },
    Spec {
        id: PRIVATE_KEY_ID,
        keywords: &["private key"],
        pattern: r"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?P<s>.+?)-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----",
        check: Check::Any,
        priority: P_SPECIFIC,
        generic: None,
        needs: None,
    },
    prefixed(
        "base64-private-key",
        &[
            "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0t",
            "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t",
            "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0t",
            "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t",
            "LS0tLS1CRUdJTiBFTkNSWVBURUQgUFJJVkFURSBLRVktLS0t",
            "LS0tLS1CRUdJTiBEU0EgUFJJVkFURSBLRVktLS0t",
        ],
        r"(?P<s>LS0tLS1CRUdJTiB(?:SU0EgUFJJVkFURSBLRVktLS0t|QUklWQVRFIEtFWS0tLS0t|PUEVOU1NIIFBSSVZBVEUgS0VZLS0t|FQyBQUklWQVRFIEtFWS0tLS0t|FTkNSWVBURUQgUFJJVkFURSBLRVktLS0t|EU0EgUFJJVkFURSBLRVktLS0t)[A-Za-z0-9+/=]{20,})",
    ),
    Spec {
        id: "kubeconfig-client-key",
        keywords: &["client-key-data"],
        pattern: r#"client-key-data"?\s*:\s*"?(?P<s>[A-Za-z0-9+/=]{20,})"#,
        check: Check::Any,
        priority: P_SPECIFIC,
        generic: None,
        needs: None,
    },
    Spec {
        id: "database-connection-string",
        keywords: &["://"],
        pattern: r#"(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse|neo4j(?:\+s)?|bolt|couchdb|couchbase|cassandra|nats|kafka|snowflake|oracle|memcached)(?:\+[a-z0-9]+)?://[^\s:/@"'<>\\]*:(?P<s>[^\s/"'<>\\]+)@[A-Za-z0-9.\-_\[\]]"#,
        check: Check::Value(ValueKind::Loose),
        priority: P_STRUCT + 2,
        generic: None,
        needs: Some(b'@'),
    },
    Spec {
        id: "url-credentials",
        keywords: &["://"],
        pattern: r#"\b[A-Za-z][A-Za-z0-9+.\-]{1,30}://[^\s:/@"'<>\\]*:(?P<s>[^\s/"'<>\\]+)@[A-Za-z0-9.\-_\[\]]"#,
        check: Check::Value(ValueKind::Loose),
        priority: P_STRUCT,
        generic: None,
        needs: Some(b'@'),
    },
    Spec {
        id: "authorization-header",
        keywords: &["authorization"],
        pattern: r#"(?i)\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?(?:(?:bearer|basic|token|bot|digest|negotiate|apikey|api-key|sso-key|key|ntlm)\s+)?(?P<s>[^\s"',]{6,})"#,
        check: Check::Value(ValueKind::Header),
        priority: P_STRUCT + 1,
        generic: None,
        needs: None,
    },
    structural(
        "api-key-header",
        &[
            "api-key",
            "-token:",
            "private-token",
            "x-auth-token",
            "subscription-key",
            "-token\":",
        ],
        r#"(?i)(?:^|[\s"'{,])(?:x-api-key|api-key|x-auth-token|private-token|x-goog-api-key|x-vault-token|x-access-token|ocp-apim-subscription-key|x-[a-z]+-(?:token|api-key|access-token))\\?["']?\s*:\s*\\?["']?(?P<s>[^\s"',]{8,})"#,
        ValueKind::Header,
    ),
    generic(
        "bearer-token",
        &["bearer"],
        r"(?i)\bbearer\s+(?P<s>[A-Za-z0-9_\-.=:/+~]{16,})",
        ValueKind::Secret,
    ),
    structural(
        "mysql-password-flag",
        &["mysql", "mariadb"],
        r#"\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb|mariadb-dump)\b[^\r\n|;&]*?\s-p(?:'(?P<s1>[^'\r\n]+)'|"(?P<s2>[^"\r\n]+)"|(?P<s3>[^\s'"]+))"#,
        ValueKind::Loose,
    ),
    structural(
        "sshpass-password",
        &["sshpass"],
        r#"\bsshpass\s+-p\s*(?:'(?P<s1>[^'\r\n]+)'|"(?P<s2>[^"\r\n]+)"|(?P<s3>[^\s'"]+))"#,
        ValueKind::Loose,
    ),
    structural(
        "redis-cli-password",
        &["redis-cli"],
        r#"\bredis-cli\b[^\r\n|;&]*?\s(?:-a|--pass)\s+(?:'(?P<s1>[^'\r\n]+)'|"(?P<s2>[^"\r\n]+)"|(?P<s3>[^\s'"]+))"#,
        ValueKind::Loose,
    ),
    structural(
        "curl-user-credentials",
        &["curl"],
        r#"\bcurl\b[^\r\n|;&]*?\s(?:-u|--user)\s*['"]?[^\s:'"]+:(?P<s>[^\s'"]+)"#,
        ValueKind::Loose,
    ),
    structural(
        "netrc-password",
        &["machine"],
        r"\bmachine\s+\S+\s+login\s+\S+\s+password\s+(?P<s>\S+)",
        ValueKind::Loose,
    ),
    structural(
        "cli-secret-flag",
        &[
            "--pass",
            "--token",
            "--secret",
            "--api-key",
            "--apikey",
            "--access-key",
            "--auth-token",
            "-password",
            "-token",
        ],
        r#"(?i)(?:^|\s)--?(?:[a-z0-9]+-)*(?:password|passwd|passphrase|pass|token|secret|api-key|apikey|access-key|secret-key|auth-token)(?:=|\s+)(?:"(?P<s1>[^"\r\n]+)"|'(?P<s2>[^'\r\n]+)'|(?P<s3>[^\s"'\-][^\s"']*))"#,
        ValueKind::Password,
    ),
    // ---- Secrets in code, markup and command lines ([judgement]) ----
    structural(
        "xml-secret-element",
        &[
            "password>",
            "passwd>",
            "secret>",
            "token>",
            "apikey>",
            "api_key>",
            "passphrase>",
            "credential>",
        ],
        r#"(?i)<(?:[A-Za-z0-9_.\-]+:)?[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|secret|token|api[_\-]?key|credential)[A-Za-z0-9_.\-]*>(?P<s>[^<\r\n]{4,300})</"#,
        ValueKind::Password,
    ),
    structural(
        "config-key-value-attribute",
        &["value="],
        r#"(?i)\bkey\s*=\s*"[^"]*(?:password|passwd|secret|token|api[_\-]?key|credential|connectionstring)[^"]*"\s+value\s*=\s*"(?P<s>[^"\r\n]{4,})""#,
        ValueKind::Password,
    ),
    structural(
        "typed-secret-declaration",
        &["password", "passwd", "secret", "token", "apikey", "api_key"],
        r#"(?i)\b[A-Za-z0-9_]*(?:password|passwd|passphrase|secret|token|api_?key)[A-Za-z0-9_]*\s*:?\s*(?:string|str|&'static str|&str|const char\s*\*|char\s*\*|[A-Z][A-Za-z0-9_]*)\??\s*=\s*"(?P<s>[^"\r\n]{6,})""#,
        ValueKind::Password,
    ),
    structural(
        "c-define-secret",
        &["#define"],
        r#"#define\s+[A-Za-z0-9_]*(?i:password|passwd|secret|token|api_?key|auth)[A-Za-z0-9_]*\s+"(?P<s>[^"\r\n]{6,})""#,
        ValueKind::Password,
    ),
    structural(
        "cli-login-password",
        &["login", "mysql", "sshpass", "net use"],
        r#"(?i)(?:(?:docker|podman|nerdctl|helm(?:\s+registry)?|buildah|skopeo)\s+login\b[^\r\n]*?\s-p\s+|\bmysql(?:dump|admin)?\b[^\r\n]*?\s-p|\bsshpass\s+-p\s*|\bnet\s+use\b[^\r\n]*?/user:\S+\s+)(?P<s>[^\s"'-][^\s"']{3,})"#,
        ValueKind::Password,
    ),
    structural(
        "netrc-or-table-password",
        &["password"],
        r#"(?m)(?:^|\blogin\s+\S+\s+)\s*password[ \t]+(?P<s>[^\s]{4,})[ \t]*(?:\r?$|\s+(?:machine|login|account)\b)"#,
        ValueKind::Password,
    ),
    structural(
        "session-cookie",
        &["cookie"],
        r#"(?i)\b(?:set-)?cookie\s*:\s*(?:[^\r\n;]*;\s*)*?[A-Za-z0-9_.\-]*(?:sess|sid|auth|token|jwt|remember)[A-Za-z0-9_.\-]*=(?P<s>[^;\s"]{12,})"#,
        ValueKind::Secret,
    ),
    prefixed(
        "otpauth-secret",
        &["otpauth://"],
        r"otpauth://[^\s?]+\?(?:[^\s#]*&)?secret=(?P<s>[A-Za-z2-7]{16,}=*)",
    ),
    context(
        "gcp-private-key-id",
        &["private_key_id"],
        concat!(r"private_key_id", assign!(), r"(?P<s>[a-f0-9]{40})\b"),
    ),
    prefixed(
        "jwe-compact",
        &["eyj"],
        r"\b(?P<s>eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
    ),
    context(
        "okta-ssws-token",
        &["ssws"],
        r"\bSSWS\s+(?P<s>00[A-Za-z0-9_\-]{38,42})\b",
    ),
    context(
        "sentry-dsn-key",
        &["sentry"],
        r"\bhttps?://(?P<s>[a-f0-9]{32})(?::[a-f0-9]{32})?@[A-Za-z0-9.\-]*(?:sentry\.io|ingest\.[A-Za-z0-9.\-]+)",
    ),
    context(
        "ngrok-authtoken",
        &["authtoken"],
        r"(?i)\bauthtoken(?:\s+|\s*[:=]\s*)(?P<s>[0-9][A-Za-z0-9]{20,}_[A-Za-z0-9]{20,})",
    ),
    context(
        "azure-devops-pat",
        &["_pat", "devops"],
        concat!(
            r"(?i)\b[A-Z0-9_]*(?:_PAT|DEVOPS[A-Z0-9_]*TOKEN)",
            assign!(),
            r"(?P<s>[a-z2-7]{52}|[A-Za-z0-9]{84})\b"
        ),
    ),
    structural(
        "php-define-secret",
        &["define("],
        r#"(?i)\bdefine\(\s*['"][A-Z0-9_]*(?:PASSWORD|PASS|SECRET|_KEY|TOKEN|SALT)['"]\s*,\s*['"](?P<s>[^'"\r\n]{8,})['"]"#,
        ValueKind::Secret,
    ),
    // ---- Generic assignments (env dumps, config files, logs) ----
    assignment(
        "password-assignment",
        &[
            "password",
            "passwd",
            "pwd",
            "passphrase",
            "psk",
            "_pass",
            "pass=",
            "pass:",
            "pass\"",
        ],
        GenericClass::Password,
        ValueKind::Password,
        P_GENERIC,
    ),
    assignment(
        "secret-assignment",
        &[
            "secret",
            "private_key",
            "private-key",
            "privatekey",
            "signing_key",
            "signingkey",
            "encryption_key",
            "encryptionkey",
            "master_key",
            "masterkey",
            "credential",
        ],
        GenericClass::Secret,
        ValueKind::Secret,
        P_GENERIC,
    ),
    assignment(
        "token-assignment",
        &["token"],
        GenericClass::Token,
        ValueKind::Secret,
        P_GENERIC,
    ),
    assignment(
        "api-key-assignment",
        &[
            "api_key",
            "apikey",
            "api-key",
            "access_key",
            "accesskey",
            "access-key",
            "app_key",
            "appkey",
            "auth_key",
            "client_key",
            "license_key",
            "subscription_key",
            "consumer_key",
        ],
        GenericClass::ApiKey,
        ValueKind::Secret,
        P_GENERIC,
    ),
];

/// Parts of a generic key name that mean the value is metadata about a secret, not the secret
/// (`PASSWORD_FILE`, `token_type`, `max_tokens`, `api_key_id`).
const KEY_DENY_PARTS: &[&str] = &[
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "name",
    "type",
    "length",
    "len",
    "min",
    "max",
    "count",
    "size",
    "limit",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expire",
    "expiration",
    "id",
    "ids",
    "policy",
    "reset",
    "hash",
    "hashed",
    "salt",
    "prompt",
    "field",
    "label",
    "hint",
    "format",
    "strength",
    "rotation",
    "age",
    "attempts",
    "history",
    "header",
    "env",
    "var",
    "ref",
    "kind",
    "mode",
    "enabled",
    "required",
    "changed",
    "manager",
    "helper",
    "store",
    "provider",
    "version",
    "no",
    "tokens",
    "tokenizer",
    "tokenize",
    "usage",
    "location",
    "arn",
    "source",
    "template",
];

/// True when a generic key's name marks metadata (see [`KEY_DENY_PARTS`]).
pub(super) fn key_is_metadata(key: &[u8]) -> bool {
    let key = key.strip_prefix(b"--").unwrap_or(key);
    key_parts(key).into_iter().any(|p| {
        let lower = p.to_ascii_lowercase();
        KEY_DENY_PARTS
            .iter()
            .any(|d| d.as_bytes() == lower.as_slice())
            || lower.ends_with(b"tokens")
            || lower.starts_with(b"tokeniz")
            || lower.starts_with(b"max")
            || lower.starts_with(b"num")
    })
}

/// Splits a key at `_`, `.`, `-` and at camelCase boundaries (`accessKeyId` -> access, Key, Id).
fn key_parts(key: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..key.len() {
        let b = key[i];
        if matches!(b, b'_' | b'.' | b'-') {
            if i > start {
                parts.push(&key[start..i]);
            }
            start = i + 1;
        } else if i > start && b.is_ascii_uppercase() && key[i - 1].is_ascii_lowercase() {
            parts.push(&key[start..i]);
            start = i;
        }
    }
    if key.len() > start {
        parts.push(&key[start..]);
    }
    parts
}
