#![allow(clippy::unwrap_used, clippy::expect_used)]
//! True positives: fake credentials (generated here, never stored verbatim) embedded in the
//! output shapes where they leak: env dumps, config files, `git remote -v`, `curl -v`, CI logs.
//! Each sample states its text and secrets; the expected output replaces exactly the secrets.

use std::collections::BTreeMap;

use super::tests::*;
use super::*;

/// A piece of a sample: plain text, or a secret with the rule id that must name it.
pub(super) enum Part {
    T(String),
    S(String, &'static str),
}

fn t(s: impl Into<String>) -> Part {
    Part::T(s.into())
}

fn s(secret: impl Into<String>, id: &'static str) -> Part {
    Part::S(secret.into(), id)
}

pub(super) struct Sample {
    pub name: &'static str,
    pub parts: Vec<Part>,
}

impl Sample {
    pub(super) fn input(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::T(t) | Part::S(t, _) => t.as_str(),
            })
            .collect()
    }

    pub(super) fn expected(&self) -> (String, RedactionCounts) {
        let mut out = String::new();
        let mut c = BTreeMap::new();
        for p in &self.parts {
            match p {
                Part::T(t) => out.push_str(t),
                Part::S(_, id) => {
                    out.push_str(&format!("[REDACTED:{id}]"));
                    *c.entry((*id).to_owned()).or_insert(0) += 1;
                }
            }
        }
        (out, RedactionCounts(c))
    }
}

fn sample(name: &'static str, parts: Vec<Part>) -> Sample {
    Sample { name, parts }
}

fn pw(seed: u64) -> String {
    format!("{}#{}", rand(seed, 6, ALNUM), rand(seed + 1, 5, ALNUM))
}

fn akia(seed: u64) -> String {
    format!("AKIA{}", rand(seed, 16, UPPER32))
}

fn aws_secret(seed: u64) -> String {
    rand(seed, 40, B64)
}

fn pem(kind: &str, seed: u64, lines: usize) -> (String, String, String) {
    (
        format!("-----BEGIN {kind}PRIVATE KEY-----\n"),
        pem_body(seed, lines),
        format!("\n-----END {kind}PRIVATE KEY-----\n"),
    )
}

fn jwt(seed: u64) -> String {
    format!(
        "eyJ{}.eyJ{}.{}",
        rand(seed, 30, B64URL),
        rand(seed + 1, 60, B64URL),
        rand(seed + 2, 43, B64URL)
    )
}

/// Every true-positive sample.
pub(super) fn samples() -> Vec<Sample> {
    let gh = |p: &str, seed| format!("{p}{}", rand(seed, 36, ALNUM));
    let (rsa_b, rsa_body, rsa_e) = pem("RSA ", 11, 12);
    let (ossh_b, ossh_body, ossh_e) = pem("OPENSSH ", 12, 7);
    let (ec_b, ec_body, ec_e) = pem("EC ", 13, 3);
    let (enc_b, enc_body, enc_e) = pem("ENCRYPTED ", 14, 9);
    let (p8_b, p8_body, p8_e) = pem("", 15, 10);
    let k8s_key =
        base64(format!("-----BEGIN RSA PRIVATE KEY-----\n{}\n", pem_body(16, 3)).as_bytes());
    let sa_key = format!(
        "-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\\n",
        rand(17, 120, B64)
    );
    vec![
        // ---- AWS ----
        sample("env aws key id", vec![t("AWS_ACCESS_KEY_ID="), s(akia(1), "aws-access-key-id"), t("\n")]),
        sample("env aws secret", vec![t("AWS_SECRET_ACCESS_KEY="), s(aws_secret(2), "aws-secret-access-key"), t("\n")]),
        sample("aws configure set", vec![t("+ aws configure set aws_secret_access_key "), s(aws_secret(31), "aws-secret-access-key"), t(" --profile deploy\n")]),
        sample("camel-case signing key in json", vec![t("{\"app\":\"w\",\"hmacSigningKey\":\""), s(rand(32, 28, ALNUM), "secret-assignment"), t("\"}\n")]),
        sample("camel-case encryption key in js", vec![t("  dataEncryptionKey: '"), s(rand(33, 32, ALNUM), "secret-assignment"), t("',\n")]),
        sample("wpa supplicant psk", vec![t("network={\n\tssid=\"Lab\"\n\tpsk=\""), s("velvet orbit candle marsh", "password-assignment"), t("\"\n}\n")]),
        sample("php define password", vec![t("define( 'DB_PASSWORD', '"), s(pw(34), "php-define-secret"), t("' );\n")]),
        sample("php define salt", vec![t("define('NONCE_SALT',        '"), s(rand(35, 48, ALNUM), "php-define-secret"), t("');\n")]),
        sample(
            "aws credentials file",
            vec![
                t("[default]\naws_access_key_id = "),
                s(akia(3), "aws-access-key-id"),
                t("\naws_secret_access_key = "),
                s(aws_secret(4), "aws-secret-access-key"),
                t("\nregion = us-east-1\n"),
            ],
        ),
        sample("aws session token", vec![t("export AWS_SESSION_TOKEN="), s(rand(5, 180, B64), "aws-session-token"), t("\n")]),
        sample("aws asia key in json", vec![t("{\"AccessKeyId\": \""), s(format!("ASIA{}", rand(6, 16, UPPER32)), "aws-access-key-id"), t("\", \"Expiration\": \"2025-01-01T00:00:00Z\"}\n")]),
        sample("aws cli configure list", vec![t("access_key     ****************ABCD shared-credentials-file\nsecret_key:"), s(aws_secret(7), "secret-assignment"), t("\n")]),
        sample("aws key in CI log", vec![t("2024-05-01T10:00:00Z [deploy] using key "), s(akia(8), "aws-access-key-id"), t(" for s3 sync\n")]),
        sample("aws secret in yaml", vec![t("  secretAccessKey: \""), s(aws_secret(9), "aws-secret-access-key"), t("\"\n")]),
        // ---- GCP ----
        sample("gcp api key env", vec![t("GOOGLE_API_KEY="), s(format!("AIza{}", rand(20, 35, B64URL)), "gcp-api-key"), t("\n")]),
        sample("gcp api key in url", vec![t("GET https://maps.googleapis.com/maps/api/geocode/json?address=x&key="), s(format!("AIza{}", rand(21, 35, ALNUM)), "gcp-api-key"), t(" 200\n")]),
        sample(
            "gcp service account json",
            vec![
                t("{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo-project\",\n  \"private_key_id\": \""),
                s(rand(22, 40, HEX), "gcp-private-key-id"),
                t("\",\n  \"private_key\": \""),
                s(sa_key, "gcp-service-account-key"),
                t("\",\n  \"client_email\": \"ci@demo-project.iam.gserviceaccount.com\"\n}\n"),
            ],
        ),
        sample("gcp oauth client secret", vec![t("  \"client_secret\": \""), s(format!("GOCSPX-{}", rand(23, 28, B64URL)), "gcp-oauth-client-secret"), t("\",\n")]),
        sample("google access token in curl -v", vec![t("> Authorization: Bearer "), s(format!("ya29.{}", rand(24, 120, B64URL)), "google-oauth-access-token"), t("\r\n")]),
        sample("google refresh token", vec![t("refresh_token: "), s(format!("1//0{}", rand(25, 100, B64URL)), "google-oauth-refresh-token"), t("\n")]),
        // ---- Azure and other clouds ----
        sample("azure storage connection string", vec![t("AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=demo;AccountKey="), s(format!("{}==", rand(30, 86, B64)), "azure-storage-account-key"), t(";EndpointSuffix=core.windows.net\n")]),
        sample("azure service bus", vec![t("Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey="), s(format!("{}=", rand(31, 43, B64)), "azure-shared-access-key"), t("\n")]),
        sample("azure client secret", vec![t("AZURE_CLIENT_SECRET="), s(format!("{}8Q~{}", rand(32, 3, ALNUM), rand(33, 34, ALNUM)), "azure-ad-client-secret"), t("\n")]),
        sample("azure sas url", vec![t("https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-01-01T00:00:00Z&spr=https&sig="), s(format!("{}%3D", rand(34, 43, ALNUM)), "azure-sas-token"), t("\n")]),
        sample("alibaba key id", vec![t("ALIBABA_CLOUD_ACCESS_KEY_ID="), s(format!("LTAI{}", rand(35, 20, ALNUM)), "alibaba-access-key-id"), t("\n")]),
        sample("tencent secret id", vec![t("TENCENTCLOUD_SECRET_ID="), s(format!("AKID{}", rand(36, 32, ALNUM)), "tencent-secret-id"), t("\n")]),
        sample("digitalocean token", vec![t("DIGITALOCEAN_ACCESS_TOKEN="), s(format!("dop_v1_{}", rand(37, 64, HEX)), "digitalocean-token"), t("\n")]),
        sample("heroku api key uuid", vec![t("HEROKU_API_KEY="), s(uuid(38), "heroku-api-key"), t("\n")]),
        sample("heroku new token", vec![t("token: "), s(format!("HRKU-{}", rand(39, 60, B64URL)), "heroku-api-key"), t("\n")]),
        sample("vault token env", vec![t("VAULT_TOKEN="), s(format!("hvs.{}", rand(40, 90, B64URL)), "vault-token"), t("\n")]),
        sample("vault login table", vec![t("Key                  Value\n---                  -----\ntoken                "), s(format!("hvs.{}", rand(41, 24, ALNUM)), "vault-token"), t("\ntoken_duration       768h\n")]),
        sample("vault batch token", vec![t("X-Vault-Token: "), s(format!("hvb.{}", rand(42, 120, B64URL)), "vault-token"), t("\n")]),
        sample("terraform credentials", vec![t("    \"token\": \""), s(format!("{}.atlasv1.{}", rand(43, 14, ALNUM), rand(44, 67, ALNUM)), "terraform-cloud-token"), t("\"\n")]),
        sample("cloudflare token", vec![t("CLOUDFLARE_API_TOKEN="), s(rand(45, 40, ALNUM), "cloudflare-api-token"), t("\n")]),
        sample("fly token", vec![t("FLY_API_TOKEN="), s(format!("fo1_{}", rand(46, 43, B64URL)), "fly-io-token"), t("\n")]),
        sample("supabase token", vec![t("SUPABASE_ACCESS_TOKEN="), s(format!("sbp_{}", rand(47, 40, HEX)), "supabase-token"), t("\n")]),
        sample("planetscale token", vec![t("PLANETSCALE_SERVICE_TOKEN="), s(format!("pscale_tkn_{}", rand(48, 43, ALNUM)), "planetscale-token"), t("\n")]),
        sample("databricks token", vec![t("DATABRICKS_TOKEN="), s(format!("dapi{}", rand(49, 32, HEX)), "databricks-token"), t("\n")]),
        sample("tailscale key", vec![t("tailscale up --authkey="), s(format!("tskey-auth-k{}-{}", rand(50, 10, ALNUM), rand(51, 30, ALNUM)), "tailscale-key"), t("\n")]),
        sample("pulumi token", vec![t("PULUMI_ACCESS_TOKEN="), s(format!("pul-{}", rand(52, 40, HEX)), "pulumi-token"), t("\n")]),
        sample("doppler token", vec![t("DOPPLER_TOKEN="), s(format!("dp.pt.{}", rand(53, 43, ALNUM)), "doppler-token"), t("\n")]),
        sample("netlify token", vec![t("NETLIFY_AUTH_TOKEN="), s(format!("nfp_{}", rand(54, 40, ALNUM)), "netlify-token"), t("\n")]),
        sample("1password service account", vec![t("OP_SERVICE_ACCOUNT_TOKEN="), s(format!("ops_eyJ{}", rand(55, 300, B64)), "1password-service-account-token"), t("\n")]),
        sample("age secret key", vec![t("# created: 2024-01-01\n"), s(format!("AGE-SECRET-KEY-1{}", rand(56, 58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")), "age-secret-key"), t("\n")]),
        // ---- GitHub ----
        sample(
            "git remote -v with token",
            vec![
                t("origin\thttps://"),
                s(gh("ghp_", 60), "github-pat"),
                t("@github.com/acme/app.git (fetch)\norigin\thttps://"),
                s(gh("ghp_", 60), "github-pat"),
                t("@github.com/acme/app.git (push)\n"),
            ],
        ),
        sample("x-access-token url", vec![t("remote: https://x-access-token:"), s(gh("ghs_", 61), "github-app-token"), t("@github.com/acme/app\n")]),
        sample("gh hosts.yml", vec![t("github.com:\n    oauth_token: "), s(gh("gho_", 62), "github-oauth-token"), t("\n    user: octo\n")]),
        sample("fine grained pat", vec![t("GH_TOKEN="), s(format!("github_pat_{}_{}", rand(63, 22, ALNUM), rand(64, 59, ALNUM)), "github-fine-grained-pat"), t("\n")]),
        sample("github refresh token", vec![t("refresh: "), s(gh("ghr_", 65), "github-refresh-token"), t("\n")]),
        sample("github user-to-server", vec![t("curl -H 'Authorization: token "), s(gh("ghu_", 66), "github-app-token"), t("' https://api.github.com/user\n")]),
        sample("composer auth.json", vec![t("{\"github-oauth\": {\"github.com\": \""), s(gh("ghp_", 67), "github-pat"), t("\"}}\n")]),
        sample("github token in ci log", vec![t("##[debug]Evaluating: secrets.GITHUB_TOKEN => "), s(gh("ghs_", 68), "github-app-token"), t("\n")]),
        // ---- GitLab, Bitbucket, Atlassian ----
        sample("gitlab pat remote", vec![t("origin  https://oauth2:"), s(format!("glpat-{}", rand(70, 20, B64URL)), "gitlab-pat"), t("@gitlab.com/group/proj.git (fetch)\n")]),
        sample("gitlab private-token header", vec![t("PRIVATE-TOKEN: "), s(format!("glpat-{}", rand(71, 20, ALNUM)), "gitlab-pat"), t("\n")]),
        sample("gitlab runner config", vec![t("[[runners]]\n  token = \""), s(format!("glrt-{}", rand(72, 20, ALNUM)), "gitlab-runner-token"), t("\"\n")]),
        sample("gitlab runner registration", vec![t("gitlab-runner register --registration-token "), s(format!("GR1348941{}", rand(73, 20, ALNUM)), "gitlab-runner-token"), t("\n")]),
        sample("gitlab trigger token", vec![t("curl -F token="), s(format!("glptt-{}", rand(74, 40, HEX)), "gitlab-pipeline-trigger-token"), t(" -F ref=main\n")]),
        sample("gitlab deploy token", vec![t("deploy: "), s(format!("gldt-{}", rand(75, 20, ALNUM)), "gitlab-deploy-token"), t("\n")]),
        sample("gitlab ci job token", vec![t("CI_JOB_TOKEN="), s(format!("glcbt-{}_{}", rand(76, 2, HEX), rand(77, 20, ALNUM)), "gitlab-ci-job-token"), t("\n")]),
        sample("gitlab feed token", vec![t("feed "), s(format!("glft-{}", rand(78, 20, ALNUM)), "gitlab-feed-token"), t("\n")]),
        sample("gitlab oauth secret", vec![t("secret "), s(format!("gloas-{}", rand(79, 64, HEX)), "gitlab-oauth-secret"), t("\n")]),
        sample("gitlab agent token", vec![t("agent "), s(format!("glagent-{}", rand(80, 50, ALNUM)), "gitlab-agent-token"), t("\n")]),
        sample("gitlab incoming mail", vec![t("mail "), s(format!("glimt-{}", rand(81, 25, ALNUM)), "gitlab-incoming-mail-token"), t("\n")]),
        sample("gitlab scim", vec![t("scim "), s(format!("glsoat-{}", rand(82, 20, ALNUM)), "gitlab-scim-token"), t("\n")]),
        sample("gitlab feature flags", vec![t("ff "), s(format!("glffct-{}", rand(83, 20, ALNUM)), "gitlab-feature-flag-token"), t("\n")]),
        sample("bitbucket app password", vec![t("BITBUCKET_APP_PASSWORD="), s(format!("ATBB{}", rand(84, 32, ALNUM)), "bitbucket-app-password"), t("\n")]),
        sample("bitbucket client secret", vec![t("bitbucket_client_secret: "), s(rand(85, 48, ALNUM), "bitbucket-client-secret"), t("\n")]),
        sample("atlassian api token", vec![t("JIRA_API_TOKEN="), s(format!("ATATT3{}", rand(86, 186, B64URL)), "atlassian-api-token"), t("\n")]),
        sample("huggingface token", vec![t("HF_TOKEN="), s(format!("hf_{}", rand(87, 34, LETTERS)), "huggingface-token"), t("\n")]),
        sample("huggingface cli", vec![t("Token is valid (permission: write).\nYour token: "), s(format!("hf_{}", rand(88, 34, LETTERS)), "huggingface-token"), t("\n")]),
        // ---- Chat and webhooks ----
        sample("slack bot token", vec![t("SLACK_BOT_TOKEN="), s(format!("xoxb-{}-{}-{}", rand(90, 12, "0123456789"), rand(91, 13, "0123456789"), rand(92, 24, ALNUM)), "slack-token"), t("\n")]),
        sample("slack user token", vec![t("token: "), s(format!("xoxp-{}-{}", rand(93, 12, "0123456789"), rand(94, 32, ALNUM)), "slack-token"), t("\n")]),
        sample("slack app token", vec![t("SLACK_APP_TOKEN="), s(format!("xapp-1-A{}-{}-{}", rand(95, 10, UPPERNUM), rand(96, 13, "0123456789"), rand(97, 64, "0123456789abcdef")), "slack-app-token"), t("\n")]),
        sample("slack webhook curl", vec![t("curl -X POST --data '{\"text\":\"deployed\"}' https://hooks.slack.com/services/"), s(format!("T{}/B{}/{}", rand(98, 10, UPPERNUM), rand(99, 10, UPPERNUM), rand(100, 24, ALNUM)), "slack-webhook"), t("\n")]),
        sample("discord webhook", vec![t("WEBHOOK=https://discord.com/api/webhooks/123456789012345678/"), s(rand(101, 68, B64URL), "discord-webhook"), t("\n")]),
        sample("discord bot token", vec![t("DISCORD_BOT_TOKEN="), s(format!("M{}.{}.{}", rand(102, 25, ALNUM), rand(103, 6, ALNUM), rand(104, 38, ALNUM)), "discord-bot-token"), t("\n")]),
        sample("discord bot header", vec![t("Authorization: Bot "), s(format!("N{}.{}.{}", rand(105, 25, ALNUM), rand(106, 6, ALNUM), rand(107, 27, ALNUM)), "discord-bot-token"), t("\n")]),
        sample("telegram env", vec![t("TELEGRAM_BOT_TOKEN="), s(format!("123456789:AA{}", rand(108, 33, B64URL)), "telegram-bot-token"), t("\n")]),
        sample("telegram url", vec![t("GET https://api.telegram.org/bot"), s(format!("987654321:AA{}", rand(109, 33, ALNUM)), "telegram-bot-token"), t("/getMe 200\n")]),
        sample("teams webhook", vec![t("https://acme.webhook.office.com/webhookb2/"), s(format!("{}@{}/IncomingWebhook/{}/{}", uuid(110), uuid(111), rand(112, 32, HEX), uuid(113)), "teams-webhook"), t("\n")]),
        // ---- SaaS APIs ----
        sample("twilio auth token", vec![t("TWILIO_AUTH_TOKEN="), s(rand(120, 32, HEX), "twilio-credential"), t("\n")]),
        sample("twilio api key", vec![t("TWILIO_API_KEY="), s(format!("SK{}", rand(121, 32, HEX)), "twilio-credential"), t("\n")]),
        sample("sendgrid", vec![t("SENDGRID_API_KEY="), s(format!("SG.{}.{}", rand(122, 22, B64URL), rand(123, 43, B64URL)), "sendgrid-api-key"), t("\n")]),
        sample("mailgun old key", vec![t("curl -s --user 'api:"), s(format!("key-{}", rand(124, 32, HEX)), "mailgun-api-key"), t("' https://api.mailgun.net/v3/x/messages\n")]),
        sample("mailgun new key", vec![t("MAILGUN_API_KEY="), s(format!("{}-{}-{}", rand(125, 32, HEX), rand(126, 8, HEX), rand(127, 8, HEX)), "mailgun-api-key"), t("\n")]),
        sample("mailchimp key", vec![t("mc: "), s(format!("{}-us21", rand(128, 32, HEX)), "mailchimp-api-key"), t("\n")]),
        sample("sentry org token", vec![t("SENTRY_AUTH_TOKEN="), s(format!("sntrys_eyJ{}", rand(129, 80, B64URL)), "sentry-token"), t("\n")]),
        sample("sentry user token", vec![t("token "), s(format!("sntryu_{}", rand(130, 64, HEX)), "sentry-token"), t("\n")]),
        sample("new relic", vec![t("NEW_RELIC_API_KEY="), s(format!("NRAK-{}", rand(131, 27, UPPERNUM)), "newrelic-key"), t("\n")]),
        sample("datadog", vec![t("DD_API_KEY="), s(rand(132, 32, HEX), "datadog-api-key"), t("\n")]),
        sample("linear", vec![t("LINEAR_API_KEY="), s(format!("lin_api_{}", rand(133, 40, ALNUM)), "linear-api-key"), t("\n")]),
        sample("notion", vec![t("NOTION_TOKEN="), s(format!("ntn_{}{}", rand(134, 11, "0123456789"), rand(135, 35, ALNUM)), "notion-token"), t("\n")]),
        sample("postman", vec![t("POSTMAN_API_KEY="), s(format!("PMAK-{}-{}", rand(136, 24, HEX), rand(137, 34, HEX)), "postman-api-key"), t("\n")]),
        sample("figma", vec![t("X-Figma-Token: "), s(format!("figd_{}", rand(138, 40, B64URL)), "figma-token"), t("\n")]),
        sample("grafana service account", vec![t("GRAFANA_TOKEN="), s(format!("glsa_{}_{}", rand(139, 32, ALNUM), rand(140, 8, HEX)), "grafana-token"), t("\n")]),
        sample("dynatrace", vec![t("DT_API_TOKEN="), s(format!("dt0c01.{}.{}", rand(141, 24, UPPERNUM), rand(142, 64, UPPERNUM)), "dynatrace-token"), t("\n")]),
        sample("buildkite", vec![t("BUILDKITE_API_TOKEN="), s(format!("bkua_{}", rand(143, 40, HEX)), "buildkite-token"), t("\n")]),
        sample("circleci", vec![t("CIRCLE_TOKEN="), s(format!("CCIPAT_{}_{}", rand(144, 22, ALNUM), rand(145, 40, HEX)), "circleci-token"), t("\n")]),
        sample("typeform", vec![t("TF_TOKEN="), s(format!("tfp_{}", rand(146, 59, ALNUM)), "typeform-token"), t("\n")]),
        sample("prefect", vec![t("PREFECT_API_KEY="), s(format!("pnu_{}", rand(147, 36, ALNUM)), "prefect-api-key"), t("\n")]),
        sample("readme", vec![t("README_API_KEY="), s(format!("rdme_{}", rand(148, 70, LOWERNUM)), "readme-api-key"), t("\n")]),
        sample("infracost", vec![t("INFRACOST_API_KEY="), s(format!("ico-{}", rand(149, 32, ALNUM)), "infracost-api-key"), t("\n")]),
        sample("octopus", vec![t("OCTOPUS_CLI_API_KEY="), s(format!("API-{}", rand(150, 26, UPPERNUM)), "octopus-deploy-api-key"), t("\n")]),
        sample("harness", vec![t("HARNESS_PLATFORM_API_KEY="), s(format!("pat.{}.{}.{}", rand(151, 22, ALNUM), rand(152, 24, HEX), rand(153, 20, ALNUM)), "harness-pat"), t("\n")]),
        sample("mapbox secret", vec![t("MAPBOX_DOWNLOADS_TOKEN="), s(format!("sk.eyJ{}.{}", rand(154, 60, B64URL), rand(155, 22, B64URL)), "mapbox-secret-token"), t("\n")]),
        sample("firebase server key", vec![t("FCM_SERVER_KEY="), s(format!("AAAA{}:APA91b{}", rand(156, 7, ALNUM), rand(157, 134, B64URL)), "firebase-cloud-messaging-key"), t("\n")]),
        sample("twitter bearer", vec![t("TWITTER_BEARER_TOKEN="), s(format!("AAAAAAAAAAAAAAAAAAAAA{}", rand(158, 90, ALNUM)), "twitter-bearer-token"), t("\n")]),
        sample("facebook token", vec![t("FB_ACCESS_TOKEN="), s(format!("EAAB{}", rand(159, 120, ALNUM)), "facebook-access-token"), t("\n")]),
        // ---- Payments ----
        sample("stripe live", vec![t("STRIPE_SECRET_KEY="), s(format!("sk_live_{}", rand(160, 24, ALNUM)), "stripe-secret-key"), t("\n")]),
        sample("stripe test curl", vec![t("curl https://api.stripe.com/v1/charges -u "), s(format!("sk_test_{}", rand(161, 99, ALNUM)), "stripe-secret-key"), t(": -d amount=2000\n")]),
        sample("stripe restricted", vec![t("key="), s(format!("rk_live_{}", rand(162, 24, ALNUM)), "stripe-secret-key"), t("\n")]),
        sample("stripe webhook secret", vec![t("STRIPE_WEBHOOK_SECRET="), s(format!("whsec_{}", rand(163, 32, ALNUM)), "stripe-webhook-secret"), t("\n")]),
        sample("square access", vec![t("SQUARE_ACCESS_TOKEN="), s(format!("EAAA{}", rand(164, 60, B64URL)), "square-token"), t("\n")]),
        sample("square oauth secret", vec![t("secret "), s(format!("sq0csp-{}", rand(165, 43, B64URL)), "square-token"), t("\n")]),
        sample("shopify admin", vec![t("SHOPIFY_ACCESS_TOKEN="), s(format!("shpat_{}", rand(166, 32, HEX)), "shopify-token"), t("\n")]),
        sample("shopify shared secret", vec![t("shared "), s(format!("shpss_{}", rand(167, 32, HEX)), "shopify-token"), t("\n")]),
        sample("braintree", vec![t("BT_TOKEN="), s(format!("access_token$production${}${}", rand(168, 16, LOWERNUM), rand(169, 32, HEX)), "braintree-access-token"), t("\n")]),
        sample("plaid", vec![t("plaid "), s(format!("access-sandbox-{}", uuid(170)), "plaid-access-token"), t("\n")]),
        sample("shippo", vec![t("SHIPPO_API_KEY="), s(format!("shippo_live_{}", rand(171, 40, HEX)), "shippo-token"), t("\n")]),
        sample("easypost", vec![t("EASYPOST_API_KEY="), s(format!("EZAK{}", rand(172, 54, ALNUM)), "easypost-token"), t("\n")]),
        sample("flutterwave", vec![t("FLW_SECRET_KEY="), s(format!("FLWSECK_TEST-{}-X", rand(173, 32, "abcdefgh0123456789")), "flutterwave-secret-key"), t("\n")]),
        // ---- AI providers ----
        sample("openai project key", vec![t("OPENAI_API_KEY="), s(format!("sk-proj-{}", rand(180, 156, B64URL)), "openai-api-key"), t("\n")]),
        sample("openai legacy key", vec![t("openai.api_key = \""), s(format!("sk-{}T3BlbkFJ{}", rand(181, 20, ALNUM), rand(182, 20, ALNUM)), "openai-api-key"), t("\"\n")]),
        sample("anthropic key", vec![t("ANTHROPIC_API_KEY="), s(format!("sk-ant-api03-{}AA", rand(183, 93, B64URL)), "anthropic-api-key"), t("\n")]),
        sample("anthropic header", vec![t("> x-api-key: "), s(format!("sk-ant-api03-{}AA", rand(184, 93, ALNUM)), "anthropic-api-key"), t("\r\n")]),
        sample("openrouter", vec![t("OPENROUTER_API_KEY="), s(format!("sk-or-v1-{}", rand(185, 64, HEX)), "openrouter-api-key"), t("\n")]),
        sample("deepseek style", vec![t("export DEEPSEEK_API_KEY="), s(format!("sk-{}", rand(186, 32, HEX)), "llm-api-key"), t("\n")]),
        sample("groq", vec![t("GROQ_API_KEY="), s(format!("gsk_{}", rand(187, 52, ALNUM)), "groq-api-key"), t("\n")]),
        sample("replicate", vec![t("REPLICATE_API_TOKEN="), s(format!("r8_{}", rand(188, 37, ALNUM)), "replicate-api-token"), t("\n")]),
        sample("perplexity", vec![t("PPLX_KEY="), s(format!("pplx-{}", rand(189, 48, ALNUM)), "perplexity-api-key"), t("\n")]),
        sample("xai", vec![t("XAI_API_KEY="), s(format!("xai-{}", rand(190, 80, ALNUM)), "xai-api-key"), t("\n")]),
        sample("langsmith", vec![t("LANGCHAIN_API_KEY="), s(format!("lsv2_pt_{}_{}", rand(191, 32, HEX), rand(192, 10, HEX)), "langsmith-api-key"), t("\n")]),
        sample("mistral", vec![t("MISTRAL_API_KEY="), s(rand(193, 32, ALNUM), "ai-provider-key"), t("\n")]),
        sample("cohere", vec![t("cohere_api_key: "), s(rand(194, 40, ALNUM), "ai-provider-key"), t("\n")]),
        // ---- Package registries ----
        sample("npmrc token", vec![t("//registry.npmjs.org/:_authToken="), s(format!("npm_{}", rand(200, 36, ALNUM)), "npm-access-token"), t("\n")]),
        sample("npmrc github packages", vec![t("//npm.pkg.github.com/:_authToken="), s(gh("ghp_", 201), "github-pat"), t("\n")]),
        sample("npmrc uuid token", vec![t("//registry.example.org/:_authToken="), s(uuid(202), "npmrc-auth"), t("\n")]),
        sample("npmrc basic auth", vec![t("_auth="), s(base64(format!("ci:{}", pw(203)).as_bytes()), "npmrc-auth"), t("\nalways-auth=true\n")]),
        sample("yarnrc", vec![t("npmAuthToken: "), s(format!("npm_{}", rand(204, 36, ALNUM)), "npm-access-token"), t("\n")]),
        sample("pypirc", vec![t("[pypi]\nusername = __token__\npassword = "), s(format!("pypi-AgEIcHlwaS5vcmc{}", rand(205, 150, B64URL)), "pypi-upload-token"), t("\n")]),
        sample("twine env", vec![t("TWINE_PASSWORD="), s(format!("pypi-AgEIcHlwaS5vcmc{}", rand(206, 80, B64URL)), "pypi-upload-token"), t("\n")]),
        sample(
            "docker config.json",
            vec![
                t("{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\n\t\t\t\"auth\": \""),
                s(base64(format!("devuser:{}", pw(207)).as_bytes()), "docker-config-auth"),
                t("\"\n\t\t}\n\t}\n}\n"),
            ],
        ),
        sample("docker identity token", vec![t("      \"identitytoken\": \""), s(rand(208, 64, ALNUM), "docker-config-auth"), t("\"\n")]),
        sample("docker hub pat", vec![t("echo "), s(format!("dckr_pat_{}", rand(209, 27, B64URL)), "dockerhub-token"), t(" | docker login -u me --password-stdin\n")]),
        sample("rubygems", vec![t(":rubygems_api_key: "), s(format!("rubygems_{}", rand(210, 48, HEX)), "rubygems-api-key"), t("\n")]),
        sample("nuget", vec![t("dotnet nuget push pkg.nupkg -k "), s(format!("oy2{}", rand(211, 43, LOWERNUM)), "nuget-api-key"), t(" -s nuget.org\n")]),
        sample("clojars", vec![t("CLOJARS_TOKEN="), s(format!("CLOJARS_{}", rand(212, 60, LOWERNUM)), "clojars-token"), t("\n")]),
        sample("crates.io", vec![t("[registry]\ntoken = \""), s(format!("cio{}", rand(213, 32, ALNUM)), "crates-io-token"), t("\"\n")]),
        sample("artifactory", vec![t("ARTIFACTORY_API_KEY="), s(format!("AKCp{}", rand(214, 69, ALNUM)), "artifactory-token"), t("\n")]),
        sample("sonarqube", vec![t("SONAR_TOKEN="), s(format!("squ_{}", rand(215, 40, HEX)), "sonarqube-token"), t("\n")]),
        // ---- Keys, JWTs ----
        sample("jwt cookie", vec![t("< Set-Cookie: session="), s(jwt(220), "jwt"), t("; Path=/; HttpOnly\n")]),
        sample("jwt in log", vec![t("INFO auth: issued "), s(jwt(221), "jwt"), t(" for user 42\n")]),
        sample("kubeconfig token", vec![t("users:\n- name: ci\n  user:\n    token: "), s(jwt(222), "jwt"), t("\n")]),
        sample("rsa pem", vec![t("$ cat id_rsa\n"), t(rsa_b), s(rsa_body, "private-key"), t(rsa_e), t("$ \n")]),
        sample("openssh pem", vec![t(ossh_b), s(ossh_body, "private-key"), t(ossh_e)]),
        sample("ec pem", vec![t("key: |\n  "), t(ec_b), s(ec_body, "private-key"), t(ec_e)]),
        sample("encrypted pem", vec![t(enc_b), s(enc_body, "private-key"), t(enc_e)]),
        sample("pkcs8 pem then log", vec![t(p8_b), s(p8_body, "private-key"), t(p8_e), t("done\n")]),
        sample("pem single line env", vec![t("PRIVATE_KEY=\"-----BEGIN PRIVATE KEY-----"), s(format!("\\n{}\\n", rand(230, 200, B64)), "private-key"), t("-----END PRIVATE KEY-----\"\n")]),
        sample("k8s secret base64 key", vec![t("data:\n  tls.key: "), s(k8s_key, "base64-private-key"), t("\n")]),
        sample("kubeconfig client key", vec![t("    client-key-data: "), s(rand(231, 200, B64), "kubeconfig-client-key"), t("\n")]),
        // ---- URLs and connection strings ----
        sample("postgres url", vec![t("DATABASE_URL=postgres://app:"), s(pw(240), "database-connection-string"), t("@db.internal:5432/app\n")]),
        sample("mongodb srv", vec![t("MONGO_URI=mongodb+srv://admin:"), s(pw(241), "database-connection-string"), t("@cluster0.ab1cd.mongodb.net/test?retryWrites=true\n")]),
        sample("redis no user", vec![t("REDIS_URL=redis://:"), s(pw(242), "database-connection-string"), t("@cache:6379/0\n")]),
        sample("amqp", vec![t("Connecting to amqp://worker:"), s(pw(243), "database-connection-string"), t("@rabbit:5672/vhost\n")]),
        sample("mysql url", vec![t("mysql://root:"), s(pw(244), "database-connection-string"), t("@127.0.0.1:3306/db\n")]),
        sample("sqlalchemy", vec![t("engine = create_engine(\"postgresql+psycopg2://svc:"), s(pw(245), "database-connection-string"), t("@pg/app\")\n")]),
        sample("https basic url", vec![t("Downloading https://deploy:"), s(pw(246), "url-credentials"), t("@artifacts.example.org/repo/pkg.tgz\n")]),
        sample("ftp url", vec![t("ftp://backup:"), s(pw(247), "url-credentials"), t("@ftp.internal/dumps\n")]),
        sample("jdbc password param", vec![t("jdbc:postgresql://db:5432/app?user=app&password="), s(pw(248), "password-assignment"), t("\n")]),
        sample("url password with at sign", vec![t("git clone https://bob:"), s(format!("p@{}", rand(249, 8, ALNUM)), "url-credentials"), t("@git.internal/x.git\n")]),
        // ---- Headers ----
        sample("curl -v basic", vec![t("> GET /api HTTP/1.1\r\n> Host: api.internal\r\n> Authorization: Basic "), s(base64(format!("admin:{}", pw(250)).as_bytes()), "authorization-header"), t("\r\n> Accept: */*\r\n")]),
        sample("curl -v bearer opaque", vec![t("> Authorization: Bearer "), s(rand(251, 40, ALNUM), "authorization-header"), t("\r\n")]),
        sample("proxy authorization", vec![t("Proxy-Authorization: Basic "), s(base64(format!("proxy:{}", pw(252)).as_bytes()), "authorization-header"), t("\n")]),
        sample("go header map", vec![t("request headers: map[Authorization:[Bearer "), s(rand(253, 48, ALNUM), "bearer-token"), t("]]\n")]),
        sample("x-api-key header", vec![t("curl -H 'x-api-key: "), s(rand(254, 32, ALNUM), "api-key-header"), t("' https://api.internal/v1\n")]),
        sample("json headers", vec![t("{\"headers\": {\"Authorization\": \"Bearer "), s(rand(255, 40, ALNUM), "authorization-header"), t("\"}}\n")]),
        // ---- Command lines ----
        sample("mysql -p", vec![t("$ mysql -h db -u root -p"), s(pw(260), "mysql-password-flag"), t(" app < dump.sql\n")]),
        sample("mysqldump quoted", vec![t("mysqldump -uroot -p'"), s(pw(261), "mysql-password-flag"), t("' shop > shop.sql\n")]),
        sample("sshpass", vec![t("sshpass -p '"), s(pw(262), "sshpass-password"), t("' ssh deploy@10.0.0.5\n")]),
        sample("redis-cli", vec![t("redis-cli -h cache -a "), s(pw(263), "redis-cli-password"), t(" ping\n")]),
        sample("curl -u", vec![t("curl -u admin:"), s(pw(264), "curl-user-credentials"), t(" https://jenkins.internal/api/json\n")]),
        sample("netrc", vec![t("machine api.heroku.com login me@corp.io password "), s(uuid(265), "netrc-password"), t("\n")]),
        sample("netrc password starting with %", vec![t("machine ci.corp.io login bot password "), s(format!("%{}", pw(290)), "netrc-password"), t("\n")]),
        sample("sql create user with password", vec![t("CREATE USER reporting WITH PASSWORD '"), s(pw(291), "sql-password-literal"), t("';\n")]),
        sample("sql identified by", vec![t("ALTER USER 'app'@'%' IDENTIFIED BY '"), s(pw(292), "sql-password-literal"), t("';\n")]),
        sample("sql identified with plugin by", vec![t("CREATE USER 'ro'@'localhost' IDENTIFIED WITH mysql_native_password BY '"), s(pw(293), "sql-password-literal"), t("';\n")]),
        sample("tab-separated secret row", vec![t("key\tvalue\tchanged\ndb_password\t"), s(pw(294), "tab-separated-secret"), t("\t2026-11-30\n")]),
        sample("admin key assignment", vec![t("SEARCH_ADMIN_KEY="), s(rand(295, 32, HEX), "api-key-assignment"), t("\n")]),
        sample("age key outside bech32", vec![t("# public key: age1abc\n"), s(format!("AGE-SECRET-KEY-1{}", rand(296, 58, UPPER32).replace('2', "B")), "age-secret-key"), t("\n")]),
        sample("httpie auth", vec![t("http -a deploy:"), s(pw(297), "curl-user-credentials"), t(" GET https://api.corp.io/\n")]),
        sample("httpie auth long option", vec![t("https --auth=ci:"), s(pw(299), "curl-user-credentials"), t(" POST https://api.corp.io/deploy\n")]),
        sample("xml property named like a secret", vec![t("<Property name=\"jdbc.password\">"), s(pw(298), "xml-named-secret-property"), t("</Property>\n")]),
        sample("docker login password flag", vec![t("+ docker login -u bot --password "), s(pw(266), "cli-secret-flag"), t(" registry.corp.io\n")]),
        sample("cli token flag", vec![t("deployctl push --token="), s(rand(267, 32, ALNUM), "cli-secret-flag"), t(" --env prod\n")]),
        sample("cli api key flag", vec![t("tool --api-key "), s(rand(268, 32, ALNUM), "cli-secret-flag"), t("\n")]),
        sample("ldapsearch -w", vec![t("ldapsearch -x -H ldaps://ldap.corp.io -D 'cn=admin,dc=corp,dc=io' -w '"), s(pw(1300), "ldap-bind-password"), t("' '(uid=jdoe)'\n")]),
        sample("ldapmodify -w bare", vec![t("ldapmodify -x -D cn=admin,dc=corp -w "), s(pw(1302), "ldap-bind-password"), t(" -f change.ldif\n")]),
        sample("mongosh -p", vec![t("mongosh \"mongodb://db.internal:27017\" -u root -p \""), s(pw(1304), "mongodb-password-flag"), t("\" --authenticationDatabase admin\n")]),
        sample("htpasswd batch", vec![t("htpasswd -b -B /etc/nginx/.htpasswd grafana "), s(pw(1306), "htpasswd-password"), t("\n")]),
        sample("htpasswd to stdout", vec![t("htpasswd -nbB admin '"), s(pw(1308), "htpasswd-password"), t("'\n")]),
        sample("smbclient user%password", vec![t("smbclient //fs01.corp.io/share -U 'CORP\\svc_backup%"), s(pw(1310), "smbclient-password"), t("'\n")]),
        sample("mc alias set", vec![t("mc alias set minio https://minio.corp.io minioadmin "), s(rand(1312, 24, ALNUM), "minio-client-secret"), t("\n")]),
        sample("password piped to docker login", vec![t("$ echo \""), s(pw(1314), "password-stdin-literal"), t("\" | docker login ghcr.io -u ci --password-stdin\nLogin Succeeded\n")]),
        sample("token piped to gh auth login", vec![t("echo "), s(rand(1316, 30, ALNUM), "password-stdin-literal"), t(" | gh auth login --with-token\n")]),
        sample(
            "connection string in appsettings json",
            vec![
                t("\"Default\": \"Server=tcp:acme.database.windows.net,1433;Initial Catalog=crm;User ID=crm;Password="),
                s(format!("{}.{}", rand(1318, 16, ALNUM), rand(1319, 3, LOWERNUM)), "connection-string-password"),
                t(";Encrypt=True;\"\n"),
            ],
        ),
        sample("pgpass line", vec![t("db.internal:5432:app_prod:svc:"), s(pw(1320), "pgpass-password"), t("\n")]),
        sample("pgpass wildcards", vec![t("*:*:*:replicator:"), s(pw(1322), "pgpass-password"), t("\n")]),
        sample("az login service principal", vec![t("$ az login --service-principal -u "), t(uuid(1380)), t(" -p "), s(format!("{}~{}", rand(1381, 12, ALNUM), rand(1382, 20, B64URL)), "cli-login-password"), t(" --tenant corp.io\n")]),
        sample("powershell plaintext secure string", vec![t("$pw = ConvertTo-SecureString '"), s(pw(1383), "powershell-plaintext-password"), t("' -AsPlainText -Force\n")]),
        sample("sqlplus logon", vec![t("sqlplus -s system/"), s(pw(1384), "oracle-logon-password"), t("@//oradb.corp.io:1521/ORCLPDB1 @migrate.sql\n")]),
        sample("ssh-keygen passphrase", vec![t("ssh-keygen -t ed25519 -C \"deploy@ci\" -N \""), s("kettle drizzle saffron orchid", "cli-passphrase-flag"), t("\" -f ./deploy_key\n")]),
        sample("openssl pass source", vec![t("openssl pkcs12 -export -in c.pem -inkey k.pem -out c.p12 -passout pass:"), s(pw(1385), "cli-passphrase-flag"), t("\n")]),
        sample("smtp login call", vec![t("server.login(\"alerts@corp.io\", \""), s("vogm eqpz gxjz twce", "login-call-password"), t("\")\n")]),
        sample("second cookie of a header", vec![t("Cookie: csrftoken="), s(rand(1386, 32, ALNUM), "session-cookie"), t("; sessionid="), s(rand(1387, 32, LOWERNUM), "session-cookie"), t("; django_language=en\n")]),
        sample("legacy vault token in the login table", vec![t("Key                  Value\n---                  -----\ntoken                "), s(format!("s.{}", rand(1388, 24, ALNUM)), "vault-token"), t("\ntoken_duration       768h\n")]),
        // ---- Context: the secret on a line after the one that names it ----
        sample("kubernetes env name and value", vec![t("        - name: DD_APP_KEY\n          value: \""), s(rand(1324, 40, HEX), "named-env-value"), t("\"\n        - name: DD_SITE\n          value: datadoghq.eu\n")]),
        sample("ecs task definition environment", vec![t("      {\n        \"name\": \"STRIPE_KEY\",\n        \"value\": \""), s(rand(1325, 32, ALNUM), "named-env-value"), t("\"\n      },\n")]),
        sample(
            "terraform output -json",
            vec![
                t("$ terraform output -json\n{\n  \"db_password\": {\n    \"sensitive\": true,\n    \"type\": \"string\",\n    \"value\": \""),
                s(pw(1326), "json-named-value"),
                t("\"\n  }\n}\n"),
            ],
        ),
        sample(
            "az storage account keys list",
            vec![
                t("[\n  {\n    \"creationTime\": \"2026-11-02T09:14:33.120Z\",\n    \"keyName\": \"key1\",\n    \"permissions\": \"FULL\",\n    \"value\": \""),
                s(format!("{}==", rand(1328, 86, B64)), "azure-storage-key-list"),
                t("\"\n  }\n]\n"),
            ],
        ),
        sample("kubectl jsonpath then decoded value", vec![t("$ kubectl get secret db-creds -o jsonpath=\"{.data.password}\" | base64 -d\n"), s(pw(1330), "printed-secret"), t("\n")]),
        sample("kubectl jsonpath of a key, crlf", vec![t("PS C:\\> kubectl get secret api -n prod -o jsonpath='{.data.STRIPE_KEY}'\r\n"), s(base64(rand(1332, 32, ALNUM).as_bytes()), "printed-secret"), t("\r\n")]),
        sample("terraform output -raw", vec![t("$ terraform output -raw admin_password\n"), s(pw(1334), "printed-secret"), t("\n")]),
        sample("vault -field under set -x", vec![t("+ vault kv get -field=password secret/prod/db\n"), s(pw(1336), "printed-secret"), t("\n")]),
        sample("aws configure get", vec![t("ci@runner:~$ aws configure get aws_secret_access_key\n"), s(aws_secret(1338), "printed-secret"), t("\n")]),
        sample("echo of a token variable", vec![t("$ echo \"$GITHUB_TOKEN\"\n\n"), s(rand(1340, 36, ALNUM), "printed-secret"), t("\n$ ls\n")]),
        sample("gcloud access token", vec![t("$ gcloud auth print-access-token\n"), s(rand(1342, 60, B64URL), "printed-secret"), t("\n")]),
        sample("1password read", vec![t("$ op read \"op://app-prod/db/password\"\n"), s(pw(1390), "printed-secret"), t("\n")]),
        // ---- Command lines, shapes and generic forms added for batch-7 classes ----
        sample("discord token by its shape", vec![t("Error: authentication failed with token "), s(format!("{}.{}.{}", base64(format!("{}{}", rand(1344, 1, "123456789"), rand(1345, 17, "0123456789")).as_bytes()), rand(1346, 6, B64URL), rand(1347, 38, B64URL)), "discord-token"), t(" (401 Unauthorized)\n")]),
        sample("discord token in a bot call", vec![t("bot.run(\""), s(format!("N{}.{}.{}", rand(1348, 23, ALNUM), rand(1349, 6, ALNUM), rand(1350, 38, ALNUM)), "discord-bot-token"), t("\")\n")]),
        sample("twilio client with account sid", vec![t("client = Client(\"AC"), t(rand(1352, 32, HEX)), t("\", \""), s(rand(1353, 32, HEX), "twilio-credential"), t("\")\n")]),
        sample("dockerconfigjson value", vec![t("data:\n  .dockerconfigjson: "), s(base64(format!("{{\"auths\":{{\"ghcr.io\":{{\"auth\":\"{}\"}}}}}}", base64(format!("ci:{}", pw(1354)).as_bytes())).as_bytes()), "docker-config-base64"), t("\n")]),
        sample("encoded docker config in a ci variable", vec![t("DOCKER_AUTH_CONFIG_B64="), s(base64(format!("{{\"auths\": {{\"registry.corp.io\": {{\"auth\": \"{}\"}}}}}}", base64(format!("bot:{}", pw(1356)).as_bytes())).as_bytes()), "docker-config-base64"), t("\n")]),
        sample("az storage account key flag", vec![t("az storage blob upload --account-name logs --account-key "), s(format!("{}==", rand(1358, 86, B64)), "azure-storage-account-key"), t(" -c c -f f\n")]),
        // ---- Generic assignments ----
        sample("powershell env drive", vec![t("$env:TWILIO_API_SECRET = \""), s(rand(1360, 32, ALNUM), "secret-assignment"), t("\"\n")]),
        sample("django settings subscript", vec![t("DATABASES['default']['PASSWORD'] = '"), s(pw(1362), "password-assignment"), t("'\n")]),
        sample("python environ subscript", vec![t("os.environ[\"API_TOKEN\"] = \""), s(rand(1364, 32, HEX), "token-assignment"), t("\"\n")]),
        sample("js env fallback literal", vec![t("  password: process.env.DB_PASS || '"), s(pw(1366), "fallback-literal-secret"), t("',\n")]),
        sample("laravel env default", vec![t("    'password' => env('DB_PASSWORD', '"), s(pw(1368), "fallback-literal-secret"), t("'),\n")]),
        sample("yaml password with a comma", vec![t("production:\n  password: "), s(format!("{},{}%0@", rand(1370, 5, ALNUM), rand(1371, 10, ALNUM)), "config-value-to-line-end"), t("\n")]),
        sample("properties password with a comma", vec![t("keystore.password="), s(format!("{},{}%E", rand(1372, 6, ALNUM), rand(1373, 5, ALNUM)), "config-value-to-line-end"), t("\n")]),
        sample("kubectl from-literal", vec![t("kubectl create secret generic db-creds --from-literal=username=orders --from-literal=password="), s(pw(1374), "from-literal-key"), t(" -n prod\n")]),
        sample("windows pass flag", vec![t("C:\\> cmdkey /add:fs01 /user:CORP\\svc /pass:"), s(pw(1378), "password-assignment"), t("\n")]),
        sample("credential with a dot", vec![t("ldap.bind.credential: "), s(format!("{}.{}", rand(1376, 16, ALNUM), rand(1377, 2, UPPERNUM)), "secret-assignment"), t("\n")]),
        // ---- Generic assignments ----
        sample("env db password", vec![t("DB_PASSWORD="), s(pw(270), "password-assignment"), t("\n")]),
        sample("yaml password", vec![t("spring:\n  datasource:\n    password: "), s(pw(271), "password-assignment"), t("\n")]),
        sample("json password", vec![t("{\"user\": \"svc\", \"password\": \""), s(pw(272), "password-assignment"), t("\"}\n")]),
        sample("toml password", vec![t("password = '"), s(pw(273), "password-assignment"), t("'\n")]),
        sample("ado connection string", vec![t("Server=tcp:db,1433;Database=app;User ID=sa;Password="), s(pw(274), "connection-string-password"), t(";Encrypt=true\n")]),
        sample("pgpassword", vec![t("PGPASSWORD="), s(pw(275), "password-assignment"), t(" psql -h db\n")]),
        sample("mysql root password env", vec![t("MYSQL_ROOT_PASSWORD="), s(pw(276), "password-assignment"), t("\n")]),
        sample("properties password", vec![t("spring.datasource.password="), s(pw(277), "password-assignment"), t("\n")]),
        sample("passphrase", vec![t("passphrase: "), s(pw(278), "password-assignment"), t("\n")]),
        sample("escaped json password", vec![t("{\\\"password\\\":\\\""), s(pw(279), "password-assignment"), t("\\\"}\n")]),
        sample("db pass short key", vec![t("DB_PASS="), s(pw(280), "password-assignment"), t("\n")]),
        sample("pwd key", vec![t("PWD_ADMIN="), s(pw(281), "password-assignment"), t("\n")]),
        sample("django secret", vec![t("SECRET_KEY="), s(rand(282, 50, ALNUM), "secret-assignment"), t("\n")]),
        sample("client secret yaml", vec![t("  client_secret: "), s(rand(283, 32, ALNUM), "secret-assignment"), t("\n")]),
        sample("jwt secret", vec![t("JWT_SECRET="), s(rand(284, 24, ALNUM), "secret-assignment"), t("\n")]),
        sample("encryption key", vec![t("ENCRYPTION_KEY="), s(rand(285, 44, B64), "secret-assignment"), t("\n")]),
        sample("ci job token", vec![t("ACCESS_TOKEN="), s(rand(286, 24, ALNUM), "token-assignment"), t("\n")]),
        sample("refresh token yaml", vec![t("refresh_token: "), s(rand(287, 40, ALNUM), "token-assignment"), t("\n")]),
        sample("json token", vec![t("{\"token\": \""), s(rand(288, 32, ALNUM), "token-assignment"), t("\", \"expires_in\": 3600}\n")]),
        sample("auth token param", vec![t("GET /hook?auth_token="), s(rand(289, 30, ALNUM), "url-parameter-secret"), t("&x=1\n")]),
        sample("api key env", vec![t("API_KEY="), s(rand(290, 32, ALNUM), "api-key-assignment"), t("\n")]),
        sample("apiKey js", vec![t("  apiKey: '"), s(rand(291, 39, ALNUM), "api-key-assignment"), t("',\n")]),
        sample("algolia", vec![t("ALGOLIA_ADMIN_API_KEY="), s(rand(292, 32, HEX), "algolia-api-key"), t("\n")]),
        sample("access key generic", vec![t("minio_access_key: "), s(rand(293, 20, UPPERNUM), "api-key-assignment"), t("\n")]),
        // ---- Command lines, configs, code and files added for batch-8 classes ----
        sample("twilio client with api key sid and secret", vec![t(format!("client = Client(\"SK{}\", \"", rand(1500, 32, HEX))), s(rand(1501, 32, ALNUM), "twilio-credential"), t(format!("\", \"AC{}\")\n", rand(1502, 32, HEX)))]),
        sample("cloudflare global key header", vec![t("+ curl -s https://api.cloudflare.com/client/v4/zones -H 'X-Auth-Email: ops@corp.io' -H 'X-Auth-Key: "), s(rand(1503, 37, HEX), "api-key-header"), t("'\n")]),
        sample("webhook secret header", vec![t("< X-Webhook-Secret: "), s(rand(1504, 40, ALNUM), "api-key-header"), t("\r\n")]),
        sample(
            "putty key file",
            vec![
                t(format!("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-20261204\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAI{}\n{}\nPrivate-Lines: 1\n", rand(1505, 39, B64), rand(1506, 4, B64))),
                s(format!("AAAAI{}", rand(1507, 43, B64)), "putty-private-key"),
                t(format!("\nPrivate-MAC: {}\n", rand(1508, 64, HEX))),
            ],
        ),
        sample(
            "putty rsa key file, several private lines",
            vec![
                t("PuTTY-User-Key-File-2: ssh-rsa\r\nEncryption: aes256-cbc\r\nPrivate-Lines: 3\r\n"),
                s(rand(1509, 64, B64), "putty-private-key"),
                t("\r\n"),
                s(rand(1510, 64, B64), "putty-private-key"),
                t("\r\n"),
                s(format!("{}==", rand(1511, 18, B64)), "putty-private-key"),
                t(format!("\r\nPrivate-MAC: {}\r\n", rand(1512, 40, HEX))),
            ],
        ),
        sample("zip -P", vec![t("zip -P '"), s(pw(1513), "archive-password-flag"), t("' -r payroll.zip payroll/\n")]),
        sample("unzip -P bare", vec![t("$ unzip -o -P "), s(rand(1514, 14, ALNUM), "archive-password-flag"), t(" backup.zip -d /tmp/x\n")]),
        sample("7z -p glued", vec![t("7z a -p"), s(format!("{}-{}%", rand(1515, 5, ALNUM), rand(1516, 9, ALNUM)), "archive-password-flag"), t(" -mhe=on backup.7z /srv/exports\n")]),
        sample("rar -hp", vec![t("rar a -hp"), s(rand(1517, 16, ALNUM), "archive-password-flag"), t(" logs.rar /var/log/app\n")]),
        sample("sqlcmd -P", vec![t("+ sqlcmd -S sql.corp.io -d crm -U crmapp -P '"), s(rand(1518, 16, ALNUM), "cli-uppercase-p-password"), t("' -Q 'SELECT 1'\n")]),
        sample("ipmitool -P", vec![t("ipmitool -I lanplus -H 10.0.100.21 -U ADMIN -P "), s(rand(1519, 19, ALNUM), "cli-uppercase-p-password"), t(" chassis power status\n")]),
        sample("bcp -P", vec![t("bcp crm.dbo.users out users.dat -c -S sql01 -U etl -P\""), s(pw(1520), "cli-uppercase-p-password"), t("\"\n")]),
        sample(
            "keytool import with both store passwords",
            vec![
                t("keytool -importkeystore -srckeystore b.p12 -srcstoretype PKCS12 -destkeystore app.jks -srcstorepass "),
                s(pw(1521), "keystore-password-flag"),
                t(" -deststorepass "),
                s(pw(1522), "keystore-password-flag"),
                t("\n"),
            ],
        ),
        sample("jarsigner storepass and keypass", vec![t("jarsigner -keystore release.jks -storepass '"), s(pw(1523), "keystore-password-flag"), t("' -keypass \""), s(pw(1524), "keystore-password-flag"), t("\" app.apk upload\n")]),
        sample("keytool -new", vec![t("keytool -storepasswd -keystore app.jks -new "), s(pw(1525), "keystore-password-flag"), t("\n")]),
        sample("rabbitmqctl add_user", vec![t("rabbitmqctl add_user metrics "), s(format!("{}.{}_{}", rand(1526, 4, ALNUM), rand(1527, 10, ALNUM), rand(1528, 3, LOWERNUM)), "user-password-arguments"), t("\n")]),
        sample("rabbitmqctl change_password quoted", vec![t("sudo rabbitmqctl change_password 'app' '"), s(pw(1529), "user-password-arguments"), t("'\n")]),
        sample("net user add", vec![t("C:\\> net user svc_backup "), s(pw(1530), "user-password-arguments"), t(" /add /domain\n")]),
        sample("mosquitto_passwd batch", vec![t("mosquitto_passwd -b /etc/mosquitto/passwd sensor "), s(pw(1531), "user-password-arguments"), t("\n")]),
        sample("xfreerdp /p", vec![t("xfreerdp /v:win-build-02.corp.io /u:builder /p:'"), s(rand(1532, 15, ALNUM), "rdp-password-flag"), t("' /cert:ignore\n")]),
        sample("rdesktop -p", vec![t("rdesktop -u admin -p "), s(pw(1533), "rdp-password-flag"), t(" 10.0.0.9\n")]),
        sample("redis requirepass", vec![t("bind 0.0.0.0\nport 6379\nrequirepass "), s(format!("{}%{}_", rand(1534, 7, ALNUM), rand(1535, 3, ALNUM)), "config-directive-password"), t("\nmaxmemory 2gb\n")]),
        sample("redis config set masterauth", vec![t("redis-cli CONFIG SET masterauth \""), s(pw(1536), "config-directive-password"), t("\"\n")]),
        sample("sentinel auth-pass", vec![t("sentinel auth-pass mymaster "), s(pw(1537), "config-directive-password"), t("\n")]),
        sample("haproxy insecure password", vec![t("    user admin insecure-password "), s(pw(1538), "config-directive-password"), t("\n")]),
        sample("nslcd bindpw", vec![t("binddn cn=nslcd,dc=corp,dc=io\nbindpw "), s(pw(1539), "config-directive-password"), t("\n")]),
        sample("gradle signing config", vec![t("android {\n  signingConfigs {\n    release {\n      storePassword \""), s("meadow nectar xenon timber cobalt", "gradle-dsl-password"), t("\"\n      keyAlias \"upload\"\n      keyPassword '"), s(pw(1540), "gradle-dsl-password"), t("'\n    }\n  }\n}\n")]),
        sample("gradle repository credentials", vec![t("    credentials {\n      username 'ci'\n      password "), s(format!("\"{}\"", pw(1541)), "gradle-dsl-password"), t("\n    }\n")]),
        sample("sqlx builder password", vec![t("let opts = PgConnectOptions::new().host(\"db\").username(\"svc\").password(\""), s(format!("{}*{}=.{}@", rand(1542, 4, ALNUM), rand(1543, 6, ALNUM), rand(1544, 3, ALNUM)), "setter-call-secret"), t("\");\n")]),
        sample("java setter password", vec![t("ds.setPassword('"), s(pw(1545), "setter-call-secret"), t("');\n")]),
        sample("builder client secret", vec![t("    .withClientSecret(\""), s(rand(1546, 32, ALNUM), "setter-call-secret"), t("\")\n")]),
        sample("perl dbi connect", vec![t("my $dbh = DBI->connect('dbi:Pg:dbname=ledger;host=db', 'ledger', '"), s(format!("{}+{}#{}=", rand(1547, 4, ALNUM), rand(1548, 5, ALNUM), rand(1549, 4, ALNUM)), "db-connect-call-password"), t("', { RaiseError => 1 });\n")]),
        sample("php pdo", vec![t("$pdo = new PDO($dsn, \"shop\", \""), s(pw(1550), "db-connect-call-password"), t("\");\n")]),
        sample("php mysqli_connect", vec![t("$link = mysqli_connect('db', 'wp', '"), s(pw(1551), "db-connect-call-password"), t("', 'wordpress');\n")]),
        sample("jdbc getConnection", vec![t("Connection c = DriverManager.getConnection(url, \"app\", \""), s(pw(1552), "db-connect-call-password"), t("\");\n")]),
        sample("nginx proxy basic auth", vec![t("        auth_basic_user_file off;\n        proxy_set_header Authorization \"Basic "), s(base64(format!("grafana:{}", pw(1553)).as_bytes()), "proxy-header-secret"), t("\";\n")]),
        sample("nginx internal secret header", vec![t("proxy_set_header X-Internal-Secret \""), s(format!("{}@{}={}+{}%", rand(1554, 9, ALNUM), rand(1555, 16, ALNUM), rand(1556, 6, ALNUM), rand(1557, 10, ALNUM)), "proxy-header-secret"), t("\";\n")]),
        sample("apache request header", vec![t("RequestHeader set X-Api-Key \""), s(rand(1558, 32, ALNUM), "proxy-header-secret"), t("\"\n")]),
        sample("haproxy set-header bearer", vec![t("    http-request set-header Authorization \"Bearer "), s(rand(1559, 40, B64URL), "proxy-header-secret"), t("\"\n")]),
        sample(
            "netscape cookie file",
            vec![
                t("# Netscape HTTP Cookie File\n.corp.io\tTRUE\t/\tTRUE\t1799999999\t_corp_session\t"),
                s(rand(1560, 40, ALNUM), "netscape-cookie-value"),
                t("\n#HttpOnly_intranet.corp.io\tFALSE\t/\tFALSE\t0\tremember_token\t"),
                s(rand(1561, 32, B64URL), "netscape-cookie-value"),
                t("\n"),
            ],
        ),
        sample("pipe table api key", vec![t("| name | value | state |\n|---|---|---|\n| api_key | "), s(rand(1562, 32, ALNUM), "pipe-table-secret"), t(" | active |\n")]),
        sample("psql row with a secret column", vec![t("     key      |              value               \n--------------+----------------------------------\n client_secret | "), s(rand(1563, 32, ALNUM), "pipe-table-secret"), t("\n")]),
        sample("terraform variable default", vec![t("variable \"db_admin_password\" {\n  type      = string\n  sensitive = true\n  default   = \""), s(pw(1564), "terraform-variable-default"), t("\"\n}\n")]),
        sample("kubectl go-template index", vec![t("$ kubectl -n monitoring get secret grafana -o go-template='{{index .data \"admin-password\" | base64decode}}'\n"), s(pw(1565), "printed-secret"), t("\n")]),
        sample("kubectl go-template field", vec![t("$ kubectl get secret db -o go-template='{{.data.password | base64decode}}'\n"), s(pw(1566), "printed-secret"), t("\n")]),
        sample("curl -b session cookie", vec![t("curl -s -b 'PHPSESSID="), s(rand(1567, 26, LOWERNUM), "session-cookie"), t("' https://intranet.corp.io/admin/\n")]),
        sample("curl --cookie", vec![t("curl --cookie \"sessionid="), s(rand(1568, 32, LOWERNUM), "session-cookie"), t("\" https://app.corp.io/\n")]),
        sample("cookie string from a browser", vec![t("laravel_session="), s(format!("{}%3D", rand(1569, 120, B64)), "session-cookie"), t("; theme=dark\n")]),
        sample("erb env fetch default", vec![t("production:\n  adapter: postgresql\n  password: <%= ENV.fetch('PORTAL_DB_PASSWORD', '"), s(pw(1570), "fallback-literal-secret"), t("') %>\n")]),
        sample("ruby env fetch block default", vec![t("  password: ENV.fetch(\"DB_PASSWORD\") { \""), s(pw(1571), "fallback-literal-secret"), t("\" },\n")]),
        // ---- gitleaks parity: more prefixed tokens ----
        sample("1password secret key", vec![t("op account add --address acme.1password.com --secret-key "), s(format!("A3-{}-{}-{}-{}-{}-{}", rand(1000, 6, UPPERNUM), rand(1001, 6, UPPERNUM), rand(1002, 5, UPPERNUM), rand(1003, 5, UPPERNUM), rand(1004, 5, UPPERNUM), rand(1005, 5, UPPERNUM)), "1password-secret-key"), t("\n")]),
        sample("adafruit io key", vec![t("ADAFRUIT_IO_KEY="), s(format!("aio_{}", rand(1006, 28, ALNUM)), "adafruit-io-key"), t("\n")]),
        sample("adafruit named key", vec![t("adafruit_key: "), s(rand(1007, 32, ALNUM), "adafruit-io-key"), t("\n")]),
        sample("adobe client secret", vec![t("ADOBE_CLIENT_SECRET="), s(format!("p8e-{}", rand(1008, 32, ALNUM)), "adobe-client-secret"), t("\n")]),
        sample("authress access key", vec![t("AUTHRESS_KEY="), s(format!("sc_{}.{}.acc_{}.{}", rand(1009, 10, LOWERNUM), rand(1010, 5, LOWERNUM), rand(1011, 20, LOWERNUM), rand(1012, 60, B64URL)), "authress-service-client-access-key"), t("\n")]),
        sample("bedrock long-lived key", vec![t("export AWS_BEARER_TOKEN_BEDROCK="), s(format!("ABSKQmVkcm9ja0FQSUtleS{}", rand(1013, 110, B64)), "aws-bedrock-api-key"), t("\n")]),
        sample("bedrock short-lived key", vec![t("token: "), s(format!("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{}", rand(1014, 400, B64)), "aws-bedrock-api-key"), t("\n")]),
        sample("clickhouse cloud secret", vec![t("CLICKHOUSE_KEY_SECRET="), s(format!("4b1d{}", rand(1015, 38, ALNUM)), "clickhouse-cloud-api-secret-key"), t("\n")]),
        sample("defined networking token", vec![t("DN_API_KEY="), s(format!("dnkey-{}-{}", rand(1016, 26, LOWERNUM), rand(1017, 52, LOWERNUM)), "defined-networking-api-token"), t("\n")]),
        sample("duffel token", vec![t("DUFFEL_ACCESS_TOKEN="), s(format!("duffel_test_{}", rand(1018, 43, B64URL)), "duffel-api-token"), t("\n")]),
        sample("frameio token", vec![t("FRAMEIO_TOKEN="), s(format!("fio-u-{}", rand(1019, 64, B64URL)), "frameio-api-token"), t("\n")]),
        sample("gitlab session cookie", vec![t("curl -b _gitlab_session="), s(rand(1020, 32, LOWERNUM), "gitlab-session-cookie"), t(" https://gitlab.internal/api/v4/user\n")]),
        sample("intra42 secret", vec![t("FT_CLIENT_SECRET="), s(format!("s-s4t2ud-{}", rand(1021, 64, HEX)), "intra42-client-secret"), t("\n")]),
        sample("base64 jwt in kubectl yaml", vec![t("data:\n  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n  sa.jwt: "), s(base64(jwt(1022).as_bytes()), "jwt-base64"), t("\n")]),
        sample("maxmind license key", vec![t("MAXMIND_LICENSE_KEY="), s(format!("{}_{}_mmk", rand(1025, 6, ALNUM), rand(1026, 29, ALNUM)), "maxmind-license-key"), t("\n")]),
        sample("oc whoami -t", vec![t("$ oc whoami -t\n"), s(format!("sha256~{}", rand(1027, 43, B64URL)), "openshift-user-token"), t("\n")]),
        sample("scalingo token", vec![t("SCALINGO_API_TOKEN="), s(format!("tk-us-{}", rand(1028, 48, B64URL)), "scalingo-api-token"), t("\n")]),
        sample("brevo api key", vec![t("BREVO_API_KEY="), s(format!("xkeysib-{}-{}", rand(1029, 64, HEX), rand(1030, 16, ALNUM)), "brevo-api-key"), t("\n")]),
        sample("settlemint token", vec![t("SETTLEMINT_ACCESS_TOKEN="), s(format!("sm_pat_{}", rand(1031, 16, ALNUM)), "settlemint-token"), t("\n")]),
        sample("sourcegraph token", vec![t("SRC_ACCESS_TOKEN="), s(format!("sgp_{}_{}", rand(1032, 16, HEX), rand(1033, 40, HEX)), "sourcegraph-access-token"), t("\n")]),
        sample("yandex api key", vec![t("YC_API_KEY="), s(format!("AQVN{}", rand(1034, 36, ALNUM)), "yandex-cloud-token"), t("\n")]),
        sample("yandex iam token", vec![t("yc iam create-token\n"), s(format!("t1.{}.{}", rand(1035, 30, B64URL), rand(1036, 86, B64URL)), "yandex-cloud-token"), t("\n")]),
        sample("yandex static key", vec![t("yandex_static_secret: "), s(format!("YC{}", rand(1037, 38, B64URL)), "yandex-cloud-token"), t("\n")]),
        sample("dropbox short-lived token", vec![t("DROPBOX_TOKEN="), s(format!("sl.{}", rand(1038, 140, B64URL)), "dropbox-token"), t("\n")]),
        sample("dropbox long-lived token", vec![t("dropbox_access_token: "), s(format!("{}AAAAAAAAAA{}", rand(1039, 11, LOWERNUM), rand(1040, 43, B64URL)), "dropbox-token"), t("\n")]),
        sample("sidekiq enterprise credentials", vec![t("BUNDLE_ENTERPRISE__CONTRIBSYS__COM="), s(format!("{}:{}", rand(1041, 8, HEX), rand(1042, 8, HEX)), "sidekiq-secret"), t("\n")]),
        // ---- gitleaks parity: vendor name + value shape ----
        sample("airtable legacy key", vec![t("AIRTABLE_API_KEY="), s(format!("key{}", rand(1043, 14, ALNUM)), "airtable-token"), t("\n")]),
        sample("airtable pat", vec![t("AIRTABLE_TOKEN="), s(format!("pat{}.{}", rand(1044, 14, ALNUM), rand(1045, 64, HEX)), "airtable-token"), t("\n")]),
        sample("alibaba secret", vec![t("ALIBABA_CLOUD_ACCESS_KEY_SECRET="), s(rand(1046, 30, ALNUM), "alibaba-secret-key"), t("\n")]),
        sample("asana pat", vec![t("ASANA_ACCESS_TOKEN="), s(format!("1/{}:{}", rand(1047, 16, "0123456789"), rand(1048, 32, ALNUM)), "asana-token"), t("\n")]),
        sample("asana client secret", vec![t("asana_client_secret = \""), s(rand(1049, 32, ALNUM), "asana-token"), t("\"\n")]),
        sample("beamer key", vec![t("BEAMER_API_KEY="), s(format!("b_{}", rand(1050, 44, B64URL)), "beamer-api-token"), t("\n")]),
        sample("meraki key", vec![t("MERAKI_DASHBOARD_API_KEY="), s(rand(1051, 40, HEX), "cisco-meraki-api-key"), t("\n")]),
        sample("codecov token", vec![t("CODECOV_TOKEN="), s(uuid(1052), "codecov-access-token"), t("\n")]),
        sample("coinbase secret", vec![t("COINBASE_API_SECRET="), s(rand(1057, 64, ALNUM), "coinbase-access-token"), t("\n")]),
        sample("confluent key and secret", vec![t("CONFLUENT_CLOUD_API_KEY="), s(rand(1058, 16, UPPERNUM), "confluent-api-key"), t("\nCONFLUENT_CLOUD_API_SECRET="), s(rand(1059, 64, B64), "confluent-api-key"), t("\n")]),
        sample("contentful delivery token", vec![t("CONTENTFUL_DELIVERY_TOKEN="), s(rand(1060, 43, B64URL), "contentful-token"), t("\n")]),
        sample("contentful management token", vec![t("CONTENTFUL_MANAGEMENT_TOKEN="), s(format!("CFPAT-{}", rand(1061, 43, B64URL)), "contentful-token"), t("\n")]),
        sample("discord client secret", vec![t("DISCORD_CLIENT_SECRET="), s(rand(1062, 32, B64URL), "discord-client-secret"), t("\n")]),
        sample("drone token", vec![t("DRONE_TOKEN="), s(rand(1063, 32, ALNUM), "droneci-access-token"), t("\n")]),
        sample("etsy key", vec![t("ETSY_API_KEY="), s(rand(1064, 24, LOWERNUM), "etsy-access-token"), t("\n")]),
        sample("facebook app secret", vec![t("FACEBOOK_APP_SECRET="), s(rand(1065, 32, HEX), "facebook-app-secret"), t("\n")]),
        sample("fastly token", vec![t("FASTLY_API_TOKEN="), s(rand(1066, 32, B64URL), "fastly-api-token"), t("\n")]),
        sample("finicity app key", vec![t("FINICITY_APP_KEY="), s(rand(1067, 32, HEX), "finicity-credential"), t("\n")]),
        sample("finnhub key", vec![t("FINNHUB_API_KEY="), s(rand(1068, 20, ALNUM), "finnhub-access-token"), t("\n")]),
        sample("flickr key", vec![t("FLICKR_API_KEY="), s(rand(1069, 32, ALNUM), "flickr-access-token"), t("\n")]),
        sample("freshbooks token", vec![t("FRESHBOOKS_ACCESS_TOKEN="), s(rand(1070, 64, ALNUM), "freshbooks-access-token"), t("\n")]),
        sample("gitter token", vec![t("GITTER_TOKEN="), s(rand(1071, 40, LOWERNUM), "gitter-access-token"), t("\n")]),
        sample("gocardless token", vec![t("GOCARDLESS_ACCESS_TOKEN="), s(format!("live_{}", rand(1072, 40, B64URL)), "gocardless-api-token"), t("\n")]),
        sample("hubspot key", vec![t("HUBSPOT_API_KEY="), s(uuid(1073), "hubspot-api-key"), t("\n")]),
        sample("intercom token", vec![t("INTERCOM_ACCESS_TOKEN="), s(rand(1078, 60, B64URL), "intercom-api-key"), t("\n")]),
        sample("jfrog token", vec![t("JFROG_ACCESS_TOKEN="), s(rand(1079, 64, ALNUM), "jfrog-token"), t("\n")]),
        sample("kraken private key", vec![t("KRAKEN_PRIVATE_KEY="), s(rand(1080, 88, B64), "kraken-access-token"), t("\n")]),
        sample("kucoin key", vec![t("KUCOIN_API_KEY="), s(rand(1081, 24, HEX), "kucoin-api-key"), t("\n")]),
        sample("launchdarkly sdk key", vec![t("LAUNCHDARKLY_SDK_KEY="), s(format!("sdk-{}", uuid(1082)), "launchdarkly-access-token"), t("\n")]),
        sample("linear client secret", vec![t("LINEAR_CLIENT_SECRET="), s(rand(1087, 32, HEX), "linear-client-secret"), t("\n")]),
        sample("linkedin client secret", vec![t("LINKEDIN_CLIENT_SECRET="), s(rand(1088, 16, ALNUM), "linkedin-client-secret"), t("\n")]),
        sample("lob key", vec![t("LOB_API_KEY="), s(format!("live_{}", rand(1089, 35, HEX)), "lob-api-key"), t("\n")]),
        sample("looker secret", vec![t("LOOKERSDK_CLIENT_SECRET="), s(rand(1090, 24, ALNUM), "looker-client-secret"), t("\n")]),
        sample("mattermost token", vec![t("MATTERMOST_TOKEN="), s(rand(1091, 26, LOWERNUM), "mattermost-access-token"), t("\n")]),
        sample("messagebird key", vec![t("MESSAGEBIRD_ACCESS_KEY="), s(rand(1092, 25, ALNUM), "messagebird-api-token"), t("\n")]),
        sample("nytimes key", vec![t("NYTIMES_API_KEY="), s(rand(1093, 32, ALNUM), "nytimes-access-token"), t("\n")]),
        sample("plaid secret", vec![t("PLAID_SECRET="), s(rand(1094, 30, HEX), "plaid-secret-key"), t("\n")]),
        sample("private ai key", vec![t("PRIVATEAI_API_KEY="), s(rand(1095, 32, ALNUM), "privateai-api-token"), t("\n")]),
        sample("rapidapi key", vec![t("RAPIDAPI_KEY="), s(rand(1096, 50, ALNUM), "rapidapi-access-token"), t("\n")]),
        sample("sendbird token", vec![t("SENDBIRD_API_TOKEN="), s(rand(1097, 40, HEX), "sendbird-access-token"), t("\n")]),
        sample("snyk token", vec![t("SNYK_TOKEN="), s(uuid(1098), "snyk-api-token"), t("\n")]),
        sample("squarespace key", vec![t("SQUARESPACE_API_KEY="), s(uuid(1103), "squarespace-access-token"), t("\n")]),
        sample("sumo logic key", vec![t("SUMO_ACCESS_KEY="), s(rand(1108, 64, ALNUM), "sumologic-access-token"), t("\n")]),
        sample("travis token", vec![t("TRAVIS_API_TOKEN="), s(rand(1109, 22, ALNUM), "travisci-access-token"), t("\n")]),
        sample("twitch secret", vec![t("TWITCH_CLIENT_SECRET="), s(rand(1110, 30, LOWERNUM), "twitch-api-token"), t("\n")]),
        sample("twitter access token", vec![t("TWITTER_ACCESS_TOKEN="), s(format!("{}-{}", rand(1111, 19, "0123456789"), rand(1112, 30, ALNUM)), "twitter-credential"), t("\n")]),
        sample("twitter api secret", vec![t("TWITTER_API_SECRET="), s(rand(1113, 50, ALNUM), "twitter-credential"), t("\n")]),
        sample("zendesk token", vec![t("ZENDESK_API_TOKEN="), s(rand(1114, 40, ALNUM), "zendesk-secret-key"), t("\n")]),
        // ---- gitleaks parity: shapes added to existing rules ----
        sample("facebook page token", vec![t("page_access_token: "), s(format!("EAAM{}", rand(1115, 120, ALNUM)), "facebook-access-token"), t("\n")]),
        sample("flutterwave encryption key", vec![t("FLW_ENCRYPTION_KEY="), s(format!("FLWSECK_TEST{}", rand(1116, 12, "abcdefgh0123456789")), "flutterwave-secret-key"), t("\n")]),
        sample("grafana legacy api key", vec![t("GRAFANA_API_KEY="), s(format!("eyJrIjoi{}", rand(1117, 80, ALNUM)), "grafana-token"), t("\n")]),
        sample("harness service account token", vec![t("HARNESS_TOKEN="), s(format!("sat.{}.{}.{}", rand(1118, 22, ALNUM), rand(1119, 24, HEX), rand(1120, 20, ALNUM)), "harness-pat"), t("\n")]),
        sample("netlify legacy token", vec![t("NETLIFY_AUTH_TOKEN="), s(rand(1121, 43, B64URL), "netlify-token"), t("\n")]),
        sample("okta api token", vec![t("OKTA_API_TOKEN="), s(format!("00{}", rand(1122, 40, B64URL)), "okta-ssws-token"), t("\n")]),
        sample("sentry legacy token", vec![t("SENTRY_AUTH_TOKEN="), s(rand(1123, 64, HEX), "sentry-token"), t("\n")]),
        sample("sonar legacy token", vec![t("SONAR_TOKEN="), s(rand(1124, 40, HEX), "sonarqube-token"), t("\n")]),
        // ---- gitleaks parity: shapes the structural and generic rules own ----
        sample("freemius php config", vec![t("    'secret_key' => '"), s(format!("sk_{}", rand(1125, 29, ALNUM)), "secret-assignment"), t("',\n")]),
        sample("terraform admin password", vec![t("  administrator_login_password = \""), s(pw(1126), "password-assignment"), t("\"\n")]),
        sample("nuget config password", vec![t("    <add key=\"ClearTextPassword\" value=\""), s(pw(1127), "config-key-value-attribute"), t("\" />\n")]),
        sample("sidekiq gem source url", vec![t(format!("source \"https://{}:", rand(1128, 8, HEX))), s(rand(1129, 8, HEX), "url-credentials"), t("@gems.contribsys.com/\"\n")]),
        // ---- Shapes added for batch-9 classes ----
        sample("connection string password starting with a bang", vec![t("\"Default\": \"Server=tcp:sql01,1433;User ID=app;Password="), s(format!("!{}#{}", rand(1700, 8, ALNUM), rand(1701, 6, ALNUM)), "connection-string-password"), t(";Encrypt=True;\"\n")]),
        sample("kubectl describe env value starting with an at", vec![t("    Environment:\n      LOG_LEVEL:        info\n      SMTP_PASSWORD:    "), s(format!("@{}#{}", rand(1702, 6, ALNUM), rand(1703, 8, ALNUM)), "password-assignment"), t("\n")]),
        sample("smtp url whose user is a mail address", vec![t("MAIL_URL=smtp://noreply@mail.corp.io:"), s(rand(1704, 22, ALNUM), "url-credentials"), t("@smtp.relay.example:587\n")]),
        sample("azure postgres url whose user names the server", vec![t("DATABASE_URL=postgresql://app@orders-pg:"), s(pw(1705), "database-connection-string"), t("@orders-pg.postgres.database.azure.com:5432/app\n")]),
        sample("gh secret set with -b", vec![t("$ gh secret set NPM_TOKEN -b "), s(rand(1706, 30, B64URL), "secret-set-command"), t(" --repo acme/web\n")]),
        sample("gh secret set with a quoted --body", vec![t("gh secret set SIGNING_SALT --env prod --body \""), s(rand(1707, 24, ALNUM), "secret-set-command"), t("\"\n")]),
        sample("doppler secrets set", vec![t("doppler secrets set WEBHOOK_SIGNATURE "), s(rand(1708, 32, ALNUM), "secret-set-command"), t("\n")]),
        sample("apache ldap bind password bare", vec![t("    AuthLDAPBindPassword "), s(pw(1709), "config-directive-password"), t("\n")]),
        sample("docker secret file printed", vec![t("$ docker exec api cat /run/secrets/registry_auth\n"), s(pw(1710), "printed-secret-file"), t("\n$ ls\n")]),
        sample("openvpn credentials file printed", vec![t("root@vpn:~# cat /etc/openvpn/client/credentials.txt\nops\n"), s(pw(1711), "printed-secret-file"), t("\n")]),
        sample("secret-named file printed in powershell", vec![t("PS C:\\deploy> type C:\\deploy\\api_token.txt\n"), s(rand(1712, 40, ALNUM), "printed-secret-file"), t("\n")]),
        sample("powershell env table", vec![t("Name                           Value\n----                           -----\nHOMEDRIVE                      C:\nBLOB_ACCOUNT_KEY               "), s(format!("{}==", rand(1713, 86, B64)), "aligned-env-column"), t("\nSERVICEBUS_SECRET              "), s(rand(1714, 32, ALNUM), "aligned-env-column"), t("\n")]),
        sample("proc environ shown by cat -v", vec![t("PATH=/usr/bin^@DB_PASSWORD="), s(pw(1715), "password-assignment"), t("^@SESSION_SECRET="), s(rand(1716, 40, ALNUM), "secret-assignment"), t("^@HOME=/root^@\n")]),
        sample("proc environ with nul bytes", vec![t("USER=app\u{0}API_TOKEN="), s(rand(1717, 36, ALNUM), "token-assignment"), t("\u{0}LANG=C.UTF-8\u{0}\n")]),
        sample("har authorization header", vec![t("      {\"name\": \"Authorization\", \"value\": \"Bearer "), s(rand(1718, 40, B64URL), "json-name-value-secret"), t("\"},\n")]),
        sample("compact ecs env entry", vec![t("[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"},{\"name\":\"DB_PASSWORD\",\"value\":\""), s(pw(1719), "json-name-value-secret"), t("\"}]\n")]),
        sample("oidc fragment id token", vec![t("Location: https://app.corp.io/cb#id_token="), s(rand(1720, 60, B64URL), "url-parameter-secret"), t("&state=af0ifjsldkj\n")]),
        sample("gcs signed url", vec![t("https://storage.googleapis.com/b/o.tar?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=20261201T000000Z&X-Goog-Signature="), s(rand(1721, 128, HEX), "url-parameter-secret"), t("\n")]),
        sample("webhook token query", vec![t("POST https://hooks.corp.io/in?token="), s(rand(1722, 32, ALNUM), "url-parameter-secret"), t(" 204\n")]),
        sample("helm value holding a base64 credential url", vec![t("config:\n  redisUrl: "), s(base64(format!("redis://:{}@cache:6379/0", rand(1723, 20, ALNUM)).as_bytes()), "base64-encoded-secret"), t("\n")]),
        sample("base64 of a password assignment", vec![t("APP_ENV_B64="), s(base64(format!("DB_PASSWORD={}\n", pw(1724)).as_bytes()), "base64-encoded-secret"), t("\n")]),
        sample("yaml folded block scalar", vec![t("auth:\n  client_secret: >-\n    "), s(rand(1725, 40, B64), "yaml-multiline-secret"), t("\n    "), s(rand(1726, 40, B64), "yaml-multiline-secret"), t("\n  timeout: 30\n")]),
        sample("yaml plain value folded onto the next line", vec![t("data:\n  api-token: "), s(rand(1727, 64, B64), "token-assignment"), t("\n    "), s(rand(1728, 40, B64), "yaml-multiline-secret"), t("\nkind: Secret\n")]),
        sample("java string concatenation", vec![t("    private static final String API_SECRET =\n        \""), s(rand(1729, 24, ALNUM), "concatenated-string-secret"), t("\" +\n        \""), s(rand(1730, 24, ALNUM), "concatenated-string-secret"), t("\";\n")]),
        sample("python implicit concatenation", vec![t("SIGNING_KEY = (\n    \""), s(rand(1731, 30, ALNUM), "concatenated-string-secret"), t("\"\n    \""), s(rand(1732, 30, ALNUM), "concatenated-string-secret"), t("\"\n)\n")]),
        sample("multi-word passphrase", vec![t("[repository]\nrestic_passphrase = "), s("lemon quartz harbor violet", "passphrase-to-line-end"), t("\n")]),
        sample("oc extract output", vec![t("$ oc extract secret/api --to=-\n# api_token\n"), s(rand(1733, 32, ALNUM), "extracted-secret-value"), t("\n# username\nsvc\n")]),
        // ---- Shapes added for batch-10 classes ----
        sample("aws key id with digits outside base32", vec![t("key="), s(format!("AKIA{}", rand(1800, 16, UPPERNUM).replace('A', "9")), "aws-access-key-id"), t("\n")]),
        sample("netlify token with a long tail", vec![t("netlify deploy --auth "), s(format!("nfp_{}", rand(1801, 43, ALNUM)), "netlify-token"), t(" --dir dist\n")]),
        sample("secret key in base64 that starts with a slash", vec![t("[cos]\nsecret_key = "), s(format!("/{}+{}=", rand(1802, 30, ALNUM), rand(1803, 11, ALNUM)), "secret-assignment"), t("\n")]),
        sample("kubernetes tls secret key", vec![t("type: kubernetes.io/tls\ndata:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n  tls.key: "), s(rand(1804, 200, B64), "kubernetes-tls-key"), t("\n")]),
        sample("openvpn static key", vec![t("<tls-auth>\n-----BEGIN OpenVPN Static key V1-----\n"), s(rand(1805, 32, HEX), "openvpn-static-key"), t("\n"), s(rand(1806, 32, HEX), "openvpn-static-key"), t("\n-----END OpenVPN Static key V1-----\n</tls-auth>\n")]),
        sample("one-time token in a url", vec![t("Redirecting to https://app.corp.io/reset-password?reset_token="), s(rand(1807, 36, LOWERNUM), "url-parameter-secret"), t("\n")]),
        sample("percent-encoded websocket ticket", vec![t("GET /ws?ticket="), s(format!("{}%2F{}%3D", rand(1808, 11, ALNUM), rand(1809, 12, ALNUM)), "url-parameter-secret"), t("&v=2 HTTP/1.1\n")]),
        sample("cookie set from code", vec![t("document.cookie = \"remember_token="), s(rand(1810, 40, HEX), "session-cookie"), t("; path=/; secure\";\n")]),
        sample("rails master key printed", vec![t("$ cat config/master.key\n"), s(rand(1811, 32, HEX), "printed-secret-file"), t("\n")]),
        sample("haproxy stats auth", vec![t("listen stats\n    bind :8404\n    stats auth admin:"), s(pw(1812), "haproxy-stats-auth"), t("\n")]),
        sample("composer auth json", vec![t("{\n    \"github-oauth\": {\n        \"github.com\": \""), s(rand(1813, 40, HEX), "composer-auth-json"), t("\"\n    }\n}\n")]),
        sample("composer auth one line", vec![t("COMPOSER_AUTH='{\"gitlab-token\": {\"gitlab.example.org\": \""), s(rand(1814, 20, B64URL), "composer-auth-token"), t("\"}}'\n")]),
        sample("space-separated config secret", vec![t("listener 8883\npassword_file /etc/mosquitto/passwd\nremote_password "), s(pw(1815), "config-directive-secret"), t("\nupstream_api_key "), s(rand(1816, 64, HEX), "config-directive-secret"), t("\n")]),
        sample("nmcli wifi password", vec![t("nmcli dev wifi connect OfficeNet password '"), s(rand(1817, 16, B64URL), "nmcli-password"), t("'\nnmcli con modify home wifi-sec.psk "), s(pw(1818), "nmcli-password"), t("\n")]),
        sample("terraform output json on one line", vec![t("  \"db_password\": { \"sensitive\": true, \"type\": \"string\", \"value\": \""), s(pw(1819), "terraform-sensitive-value"), t("\" }\n")]),
        sample("terraform output json over lines", vec![t("  \"conn\": {\n    \"sensitive\": true,\n    \"type\": \"string\",\n    \"value\": \""), s(pw(1820), "terraform-sensitive-output"), t("\"\n  }\n")]),
        sample("terraform random password in state", vec![t("    {\n      \"type\": \"random_password\",\n      \"name\": \"db\",\n      \"instances\": [\n        {\n          \"attributes\": {\n            \"length\": 24,\n            \"result\": \""), s(pw(1821), "terraform-random-password"), t("\",\n")]),
        sample("wpa_passphrase command", vec![t("wpa_passphrase \"Acme Guest\" \""), s("copper oyster tundra onyx", "wpa-passphrase-command"), t("\" >> /etc/wpa_supplicant/wpa_supplicant.conf\n")]),
        sample("passphrase echoed into a key file", vec![t("cryptsetup open /dev/sdb1 vault --key-file <(echo -n '"), s("nectar.quiver.meadow.saddle", "echoed-key-file-passphrase"), t("')\necho -n \""), s(pw(1822), "echoed-key-file-passphrase"), t("\" | sudo cryptsetup luksOpen /dev/sdc1 data -\n")]),
        sample("recovery phrase under its heading", vec![t("Wallet recovery phrase (keep offline):\n"), s("juniper glacier walnut nickel falcon ivory lumber orbit", "recovery-phrase"), t("\n")]),
        sample("value on the line after its label", vec![t("Username:\n  svc-deploy\nPassword:\n  "), s(format!("{}.{}", rand(1823, 12, ALNUM), rand(1824, 6, ALNUM)), "labelled-next-line-value"), t("\n")]),
        sample("wrapped json value", vec![t("{\n  \"client_secret\":\n      \""), s(rand(1825, 43, B64URL), "labelled-next-line-value"), t("\",\n  \"scope\": \"billing\"\n}\n")]),
        sample("api key shown once", vec![t("Your new API key (shown once):\n\n    "), s(rand(1826, 32, HEX), "labelled-next-line-value"), t("\n\nStore it somewhere safe.\n")]),
        sample("password typed at an echoing prompt", vec![t("Enter the new master password\n> "), s(pw(1827), "prompted-secret-answer"), t("\nRe-enter to confirm\n> "), s(pw(1827), "prompted-secret-answer"), t("\nPassword updated.\n")]),
        sample("yaml block scalar password with symbols", vec![t("db:\n  password: >-\n    "), s(format!("{}*{}", rand(1828, 4, ALNUM), rand(1829, 15, ALNUM)), "yaml-multiline-secret"), t("\n")]),
        sample("telegram bot api url", vec![t("curl -s \"https://api.telegram.org/bot"), s(format!("6012345678:{}", rand(1830, 35, B64URL)), "telegram-bot-token"), t("/getUpdates\"\n")]),
        sample("notion ntn token", vec![t("NOTION_TOKEN="), s(format!("ntn_{}", rand(1831, 46, ALNUM)), "notion-token"), t("\n")]),
        sample("sentry org token", vec![t("SENTRY_AUTH_TOKEN="), s(format!("sntrys_{}", rand(1832, 60, ALNUM)), "sentry-token"), t("\n")]),
        sample("contentful management token alone", vec![t("export CMA_TOKEN="), s(format!("CFPAT-{}", rand(1833, 43, B64URL)), "contentful-token"), t("\n")]),
        sample("discord webhook short token", vec![t("DISCORD_HOOK=https://discord.com/api/webhooks/1187654321098765432/"), s(rand(1834, 43, B64URL), "discord-webhook"), t("\n")]),
        sample("algolia admin key", vec![t("algolia admin key = "), s(rand(1835, 32, LOWERNUM), "algolia-api-key"), t("\n")]),
        sample("azure keys list json on one line", vec![t("  {\"keyName\": \"key2\", \"permissions\": \"FULL\", \"value\": \""), s(format!("{}==", rand(1836, 86, B64)), "azure-storage-account-key"), t("\"}\n")]),
        sample("backblaze and azure storage keys", vec![t("B2_APPLICATION_KEY_ID=0051a2b3c4d5e6f0000000002\nB2_APPLICATION_KEY="), s(format!("K005{}", rand(1837, 27, ALNUM)), "api-key-assignment"), t("\nAZURE_STORAGE_KEY=\""), s(format!("{}==", rand(1838, 86, B64)), "api-key-assignment"), t("\"\n")]),
        sample("oci config pass_phrase", vec![t("[DEFAULT]\nkey_file=~/.oci/oci_api_key.pem\npass_phrase="), s(pw(1839), "password-assignment"), t("\n")]),
        sample("dotted random password flag", vec![t("wget --user=mirror --password="), s("Qw7xKp2.Zr4nM9vB", "cli-secret-flag"), t(" ftp://mirror.example.org/pub/\n")]),
        sample("registry auth in yaml", vec![t("auths:\n  ghcr.io:\n    auth: "), s(base64(format!("bot:{}", rand(1840, 20, ALNUM)).as_bytes()), "registry-auth-yaml"), t("\n")]),
        sample("yaml binary tag before a secret", vec![t("app:\n  encryption_key: !!binary "), s(rand(1841, 44, B64), "secret-assignment"), t("\n")]),
        sample("secret data key named after a vendor", vec![t("kind: Secret\ntype: Opaque\ndata:\n  user: ZGVwbG95\n  sendgrid-key: "), s(base64(rand(1842, 40, ALNUM).as_bytes()), "secret-data-key"), t("\n")]),
        sample("terraform plan random password", vec![t("  + resource \"random_password\" \"api\" {\n      + length = 20\n      + result = \""), s(pw(1843), "terraform-random-password"), t("\"\n    }\n")]),
        sample("terraform variable from the environment", vec![t("TF_VAR_admin_password="), s(pw(1844), "password-assignment"), t(" terraform apply -auto-approve\n")]),
        sample("label before an assignment", vec![t("job: RESTIC_PASSWORD='"), s(pw(1845), "password-assignment"), t("'\n")]),
        sample("token in a log message", vec![t("INFO session: generated token "), s(rand(1846, 40, ALNUM), "prose-secret-word-value"), t(" for client 7\n403 Forbidden: key \""), s(rand(1847, 48, ALNUM), "prose-secret-word-value"), t("\" lacks scope\n")]),
        sample("label ending in is", vec![t("Your personal access token is:\n  "), s(rand(1848, 40, ALNUM), "labelled-next-line-value"), t("\n")]),
        sample("git password prompt answered", vec![t("Password for 'https://deploy@gitlab.example.org':\r\n"), s(rand(1849, 32, ALNUM), "labelled-next-line-value"), t("\r\n")]),
        sample("chpasswd input", vec![t("echo \"svc:"), s(pw(1850), "chpasswd-input"), t("\" | sudo chpasswd\nchpasswd <<< 'ops:"), s(pw(1851), "chpasswd-input"), t("'\n")]),
        sample("prompt answered on the same line", vec![t("Enter new passphrase: "), s("lemon quartz harbor violet", "prompt-answer-same-line"), t("\nEnter PEM pass phrase: "), s(pw(1852), "prompt-answer-same-line"), t("\n")]),
        sample("mnemonic on its heading line", vec![t("mnemonic: "), s("orbit cable lunar fossil amber quiet siren tundra maple violet walnut harbor", "recovery-phrase-inline"), t("\n")]),
        sample("passphrase key of two words", vec![t("backup passphrase = "), s("amber cobalt quiver sable", "passphrase-to-line-end"), t("\n")]),
        sample("assignment continued on the next line", vec![t("DB_PASSWORD=\\\n"), s(pw(1853), "continued-assignment-value"), t("\n")]),
        sample("xml secret element over lines", vec![t("<server>\n  <apiToken>\n      "), s(rand(1854, 32, ALNUM), "xml-secret-element-block"), t("\n  </apiToken>\n</server>\n")]),
        sample("aws credentials csv", vec![t("Access key ID,Secret access key\n"), s(akia(1860), "aws-access-key-id"), t(","), s(aws_secret(1861), "aws-key-pair"), t("\n")]),
        sample("resend key in code", vec![t("const resend = new Resend('"), s(format!("re_{}_{}", rand(1862, 8, ALNUM), rand(1863, 24, ALNUM)), "resend-api-key"), t("');\n")]),
        sample("authorization with an unlisted scheme", vec![t("Authorization: Splunk "), s(uuid(1864), "authorization-header"), t("\n")]),
        sample("api key as appid parameter", vec![t("GET https://api.weather.example/data/2.5/weather?q=Oslo&appid="), s(rand(1865, 32, HEX), "url-parameter-secret"), t(" 200\n")]),
        sample("go mysql dsn", vec![t("dsn := \"app:"), s(pw(1866), "go-mysql-dsn"), t("@tcp(127.0.0.1:3306)/app?parseTime=true\"\n")]),
        sample("jwk private scalar", vec![t(format!("{{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"{}\",\"d\":\"", rand(1867, 43, B64URL))), s(rand(1868, 43, B64URL), "jwk-private-key"), t("\"}\n")]),
        sample("ipsec psk", vec![t("203.0.113.10 198.51.100.20 : PSK \""), s(pw(1869), "ipsec-secret"), t("\"\n")]),
        sample("python bytes secret key", vec![t("app.secret_key = b'"), s((0..16).map(|i| format!("\\x{:02x}", (i * 37 + 11) % 256)).collect::<String>(), "python-bytes-secret"), t("'\n")]),
        sample("client built with a url and a token", vec![t("let client = Client::new(\"https://vault.example.org\", \""), s(rand(1870, 28, ALNUM), "client-url-credential-literal"), t("\");\n")]),
        sample("base64 literal decoded", vec![t("$ echo "), t(base64(b"unused-by-the-rule")), t(" | base64 --decode\n"), s(format!("{}!{}", rand(1871, 12, ALNUM), rand(1872, 10, ALNUM)), "decoded-literal-secret"), t("\n")]),
        sample("decoded secret folded", vec![t("$ kubectl get secret runner -o jsonpath='{.data.token}' | base64 -d | fold -w 40\n"), s(rand(1873, 40, ALNUM), "folded-printed-secret"), t("\n"), s(rand(1874, 20, ALNUM), "folded-printed-secret"), t("\n")]),
        sample("postfix sasl passwd", vec![t("$ sudo cat /etc/postfix/sasl_passwd\n[smtp.mail.example]:587 relay@mail.example:"), s(pw(1875), "postfix-sasl-passwd"), t("\n")]),
        sample("terraform console result", vec![t("$ terraform console\n> nonsensitive(random_password.api.result)\n\""), s(pw(1876), "terraform-console-secret"), t("\"\n")]),
        sample("dotted passphrase in a shell assignment", vec![t("BORG_PASSPHRASE="), s("amber.cobalt.quiver.sable.tundra", "env-dotted-passphrase"), t(" borg create ::daily /etc\n")]),
        sample("key-named literal of a secret", vec![t("kubectl create secret generic api --from-literal=STRIPE_KEY="), s(pw(1877), "from-literal-key"), t(" --dry-run=client\n")]),
        sample("more printed secrets", vec![t("$ launchctl getenv SNYK_TOKEN\n"), s(uuid(1878), "printed-secret"), t("\n$ sops -d --extract '[\"db\"][\"password\"]' secrets.enc.yaml\n"), s(pw(1879), "printed-secret"), t("\n$ az storage account keys list -n lake --query '[0].value' -o tsv\n"), s(format!("{}==", rand(1880, 86, B64)), "printed-secret"), t("\n")]),
        sample("words printed from a password file", vec![t("$ cat ~/.vault_pass\n"), s("coin clay board base century", "printed-secret-file"), t("\n")]),
        sample("named env value in a block scalar", vec![t("    - name: WEBHOOK_SECRET\n      value: |-\n        "), s(rand(1881, 64, HEX), "named-env-block-value"), t("\n")]),
        sample("prompt to unlock answered", vec![t("Enter password to unlock /home/u/vault.kdbx: "), s("Velvet orbit candle marsh!", "prompt-answer-same-line"), t("\n")]),
        sample("ini pass with spaces", vec![t("[remote]\ntype = sftp\npass = "), s(pw(1882), "password-assignment"), t("\n")]),
        sample("keystore password", vec![t("signing:\n  storePassword: "), s("amber-cobalt-quiver-sable-tundra", "password-assignment"), t("\n")]),
        // ---- batch-13 round: pairs, key-value stores, continuations ----
        sample("razorpay key pair in a csv and a tuple", vec![t(format!("key_id,key_secret\nrzp_test_{},", rand(1890, 14, ALNUM))), s(rand(1891, 24, ALNUM), "razorpay-key-secret"), t(format!("\nclient = Client(auth=('rzp_live_{}', '", rand(1892, 14, ALNUM))), s(rand(1893, 24, ALNUM), "razorpay-key-secret"), t("'))\n")]),
        sample("cloudflare origin ca key with a short tail", vec![t("CF_ORIGIN_CA="), s(format!("v1.0-{}-{}", rand(1894, 24, HEX), rand(1895, 64, HEX)), "cloudflare-origin-ca-key"), t("\n")]),
        sample("pgpass password with an unescaped colon", vec![t("10.0.0.5:6432:*:pgbouncer:"), s(format!("{}:{}", rand(1896, 9, ALNUM), rand(1897, 3, ALNUM)), "pgpass-password"), t("\n")]),
        sample("from-literal values with commas and quotes", vec![t("kubectl create secret generic smtp --from-literal=smtp_pass='"), s(format!("{},{}", rand(1898, 8, ALNUM), rand(1899, 8, ALNUM)), "from-literal-key"), t("' --from-literal=api-token="), s(format!("{},{}={}", rand(1900, 6, ALNUM), rand(1901, 6, ALNUM), rand(1902, 4, ALNUM)), "from-literal-key"), t("\n")]),
        sample("mosquitto client password", vec![t("mosquitto_sub -h broker.lan -p 8883 -u meter -P "), s(pw(1903), "cli-uppercase-p-password"), t(" -t 'meters/#'\n")]),
        sample("oracle jdbc url credentials", vec![t("db.url=jdbc:oracle:oci:app_ro/"), s(pw(1904), "oracle-logon-password"), t("@db-prod:1521/SVC\n")]),
        sample("sql role options before the password", vec![t("ALTER ROLE etl WITH NOSUPERUSER LOGIN CONNECTION LIMIT 5 PASSWORD '"), s(pw(1905), "sql-password-literal"), t("';\n")]),
        sample("c defines with short password names", vec![t("#define WIFI_PSK \""), s(pw(1906), "c-define-secret"), t("\"\n#define BROKER_PWD \""), s(pw(1907), "c-define-secret"), t("\"\n")]),
        sample(
            "key-value stores and keyrings printing a secret",
            vec![
                t("$ consul kv get -stale config/billing/stripe_secret\n"),
                s(rand(1908, 32, ALNUM), "printed-secret"),
                t("\n$ etcdctl --endpoints=https://10.0.0.7:2379 get /svc/db/password --print-value-only\n"),
                s(pw(1909), "printed-secret"),
                t("\n$ etcdctl get --print-value-only /apps/smtp_token\n"),
                s(rand(1910, 28, ALNUM), "printed-secret"),
                t("\n$ chamber read -q ci deploy_token\n"),
                s(rand(1911, 30, ALNUM), "printed-secret"),
                t("\n$ keyring get github.com ci-bot\n"),
                s(pw(1912), "printed-secret"),
                t("\n$ consul keygen\n"),
                s(format!("{}=", rand(1913, 43, B64)), "printed-secret"),
                t("\n"),
            ],
        ),
        sample("configure set pairs", vec![t("tccli configure set --profile ci secretKey "), s(rand(1914, 32, ALNUM), "configure-set-secret"), t(" region ap-shanghai\naws configure set aws_session_token "), s(rand(1915, 60, B64), "configure-set-secret"), t(" --profile ci\n")]),
        sample("b2 authorize account", vec![t("b2 authorize-account 0012ab34cd56ef "), s(format!("K001{}", rand(1916, 27, ALNUM)), "b2-authorize-key"), t("\n")]),
        sample("gossip encryption keys", vec![t("consul agent -server -encrypt="), s(format!("{}=", rand(1917, 43, B64)), "gossip-encryption-key"), t(" -data-dir=/opt/consul\n{\"encrypt\": \""), s(format!("{}==", rand(1918, 22, B64)), "gossip-encryption-key"), t("\"}\n")]),
        sample("secrets cut by a backslash newline", vec![t("export DEPLOY_SECRET=\""), s(rand(1919, 32, ALNUM), "secret-assignment"), t("\\\n"), s(rand(1920, 32, ALNUM), "backslash-continued-secret"), t("\"\nwget --header=\"Authorization: Bearer "), s(format!("{}\\", rand(1921, 30, B64URL)), "authorization-header"), t("\n"), s(rand(1922, 30, B64URL), "backslash-continued-secret"), t("\" https://api.example.org/v1/items\n")]),
        sample("base64 folded under a name alone on its line", vec![t("Signing-Secret:\n  "), s(rand(1923, 64, B64), "labelled-next-line-value"), t("\n  "), s(rand(1924, 40, B64), "yaml-multiline-secret"), t("\n")]),
        sample("encoded aws credentials file", vec![t("data:\n  aws: "), s(base64(format!("[ci]\naws_access_key_id = {}\naws_secret_access_key = {}\n", akia(1925), aws_secret(1926)).as_bytes()), "base64-encoded-secret"), t("\n")]),
        sample("vendor-named keys with random values", vec![t("os.environ[\"WEATHERSTACK_KEY\"] = \""), s(rand(1928, 32, ALNUM), "env-vendor-key"), t("\"\nexport GEOCODER_KEY="), s(rand(1929, 40, ALNUM), "env-vendor-key"), t("\n  PLACES_KEY: "), s(rand(1930, 28, ALNUM), "env-vendor-key"), t("\n")]),
        sample("license file in a block scalar", vec![t("gitlab:\n  licenseFile: |\n    "), s(rand(1931, 64, B64), "yaml-license-blob"), t("\n    "), s(format!("{}==", rand(1932, 30, B64)), "yaml-license-blob"), t("\n  edition: ee\n")]),
        sample("secret data entry with a short password word", vec![t("data:\n  smtp-pass: "), s(base64(pw(1927).as_bytes()), "secret-data-key"), t("\n")]),
        // ---- batch-14 round: mechanisms (calls, tables, wrapped values, secret-store reads) ----
        sample("credential literals passed to calls", vec![t("let res = client.get(url).bearer_auth(\""), s(rand(2001, 40, ALNUM), "credential-call-literal"), t("\").send().await?;\nvar cred = new NetworkCredential(\"svc-report\", \""), s(rand(2002, 20, ALNUM), "credential-call-literal"), t("\", \"ACME\");\n")]),
        sample("credential pair arguments", vec![t("r = requests.get(url, auth=(\"deploy\", \""), s(pw(2003), "credential-pair-argument"), t("\"))\nes = Elasticsearch(hosts, api_key=('key-id', '"), s(rand(2031, 22, B64URL), "credential-pair-argument"), t("'))\n")]),
        sample("powershell env table", vec![t("Name                 Value\n----                 -----\nCOMPUTERNAME         BUILD-07\nSQL_SA_PASSWORD      "), s(rand(2004, 20, LETTERS), "aligned-env-column"), t("\n")]),
        sample("environ value with brackets", vec![t("DJANGO_SECRET_KEY="), s(format!("{}({}%{}", rand(2005, 12, ALNUM), rand(2006, 12, ALNUM), rand(2007, 10, ALNUM)), "env-line-value-to-end"), t("\n")]),
        sample("secret store reads", vec![t("$ akeyless get-secret-value --name /prod/db/password\n"), s(pw(2008), "printed-secret-lookup"), t("\n$ keepassxc-cli show -s -a Password vault.kdbx Infra/router\n"), s(pw(2032), "printed-secret-lookup"), t("\n$ fly ssh console -C \"printenv SESSION_SECRET\"\n"), s(rand(2009, 48, ALNUM), "printed-secret-lookup"), t("\n")]),
        sample("curl user as api key", vec![t("curl -u "), s(rand(2010, 20, ALNUM), "curl-user-api-key"), t(":X https://acme.freshdesk.example/api/v2/tickets\n")]),
        sample("login with a positional key", vec![t("$ wandb login "), s(rand(2011, 40, HEX), "cli-login-positional-key"), t("\nhcloud context create prod <<< \""), s(rand(2012, 64, ALNUM), "cli-login-positional-key"), t("\"\n")]),
        sample("csv with a password column", vec![t("name,host,user,password\nwarehouse,pg.internal,etl,"), s(pw(2013), "csv-secret-column"), t("\n")]),
        sample("mysql table with a secret column", vec![t("| name    | api_secret |\n+---------+------------+\n| billing | "), s(rand(2014, 32, HEX), "table-secret-column"), t(" |\n")]),
        sample("token wrapped by a log viewer", vec![t("2026-12-07 INFO issued refresh_token=\n"), s(rand(2015, 60, B64URL), "wrapped-value-lines"), t("\n"), s(rand(2016, 60, B64URL), "wrapped-value-lines"), t("\n")]),
        sample("mysql password on a continuation line", vec![t("mysql -h db.internal -u root \\\n  -p'"), s(pw(2017), "continued-mysql-password"), t("' \\\n  -e \"SHOW DATABASES\"\n")]),
        sample("quoted password after the word", vec![t("poll imap.acme.example protocol IMAP user \"jdoe\" password \""), s(pw(2018), "word-quoted-secret"), t("\" ssl\n")]),
        sample("isync pass directive", vec![t("IMAPAccount work\nUser jdoe@acme.example\nPass "), s(pw(2019), "pass-directive-line"), t("\n")]),
        sample("minisign secret key", vec![t("untrusted comment: minisign encrypted secret key\n"), s(format!("{}=", rand(2020, 211, B64)), "minisign-secret-key"), t("\n")]),
        sample("nostr secret key", vec![t("nostr:\n  nsec: "), s(format!("nsec1{}", rand(2021, 58, "023456789acdefghjklmnpqrstuvwxyz")), "nostr-secret-key"), t("\n")]),
        sample("solana keypair file", vec![t("$ cat ~/.config/solana/id.json\n"), s(format!("[{}]", (0..64).map(|i| ((i * 97 + 13) % 256).to_string()).collect::<Vec<_>>().join(",")), "solana-keypair-array"), t("\n")]),
        sample("qualified secret flags", vec![t("twitch token --client-id 3jv4b7vu8upwusdvq999uw --client-secret "), s(rand(2022, 30, LOWERNUM), "cli-secret-flag"), t("\nalgolia settings:set --admin-api-key "), s(rand(2023, 32, HEX), "cli-secret-flag"), t("\n")]),
        sample("vendor key with a short prefix", vec![t("MANDRILL_KEY="), s(format!("md-{}", rand(2024, 22, ALNUM)), "env-vendor-key"), t("\n")]),
        sample("deploy key header", vec![t("      -H \"X-Deploy-Key: "), s(rand(2026, 44, ALNUM), "api-key-header"), t("\"\n")]),
        sample("keys named for what they do", vec![t("analytics.write_key = \""), s(rand(2027, 32, ALNUM), "api-key-assignment"), t("\"\nldap_default_authtok = "), s(pw(2028), "secret-assignment"), t("\n$CFG->dbpass    = '"), s(pw(2029), "password-assignment"), t("';\n")]),
        sample("quoted registry login password", vec![t("docker login -u \"acme+ci_robot\" -p \""), s(rand(2030, 64, UPPERNUM), "cli-login-password"), t("\" quay.io\n")]),
        // ---- batch-15 round: mechanisms (printed lookups, code, urls, flags, config lines) ----
        sample("secret lookups naming the value first or by subscript", vec![t("$ pulumi config get dbPassword --stack prod\n"), s(pw(2101), "printed-secret-lookup"), t("\n$ infisical secrets get API_SIGNING_KEY --plain --env=prod\n"), s(rand(2102, 32, ALNUM), "printed-secret-lookup"), t("\n$ az acr credential show -n acme --query \"passwords[0].value\" -o tsv\n"), s(rand(2103, 32, ALNUM), "printed-secret-lookup"), t("\n")]),
        sample("secret lookups whose command says secret", vec![t("$ akeyless get-secret-value --name /prod/payments/api\n"), s(rand(2104, 36, ALNUM), "printed-secret-lookup"), t("\n")]),
        sample("password managers, decryption, jq and generated values", vec![t("$ rbw get \"Grafana admin\"\n"), s(pw(2105), "printed-secret"), t("\n$ age -d -i ~/.age/key.txt api.age\n"), s(rand(2106, 32, ALNUM), "printed-secret"), t("\n$ curl -s https://auth.example.org/token | jq -r .access_token\n"), s(rand(2107, 40, B64URL), "printed-secret"), t("\n$ jq -r .password ~/.config/backup/creds.json\n"), s(pw(2108), "printed-secret"), t("\n$ openssl rand -base64 18 | tee /dev/stderr | sudo passwd --stdin admin\n"), s(rand(2109, 24, B64), "printed-secret"), t("\n$ vault write -field=secret_id -f auth/approle/role/ci/secret-id\n"), s(rand(2110, 32, ALNUM), "printed-secret"), t("\n$ kubectl get secret admin -o jsonpath=\"{.data.password}\" | base64 -d; echo\n"), s(pw(2111), "printed-secret"), t("\n")]),
        sample("interpreters echoing a secret", vec![t(">>> os.environ[\"DB_PASS\"]\n'"), s(pw(2112), "repl-echoed-secret"), t("'\nirb(main):001> ENV[\"SIGNING_SECRET\"]\n=> \""), s(rand(2113, 32, ALNUM), "repl-echoed-secret"), t("\"\n> process.env.HMAC_SECRET\n'"), s(rand(2114, 32, ALNUM), "repl-echoed-secret"), t("'\n")]),
        sample("redis config get reply", vec![t("$ redis-cli CONFIG GET requirepass\n1) \"requirepass\"\n2) \""), s(pw(2115), "redis-config-get-reply"), t("\"\n")]),
        sample("secret names beside literals in code", vec![t("os.Setenv(\"WORKER_SECRET\", \""), s(rand(2116, 36, ALNUM), "secret-name-literal-pair"), t("\")\n{auth_token, \""), s(rand(2117, 32, ALNUM), "secret-name-literal-pair"), t("\"},\n(def api-secret \""), s(rand(2118, 40, ALNUM), "secret-name-literal-pair"), t("\")\nsettings = Settings(signing_secret=SecretStr(\""), s(rand(2119, 40, ALNUM), "secret-name-literal-pair"), t("\"))\n")]),
        sample("typed declarations with type arguments, As and @-strings", vec![t("API_TOKEN: Final[str] = \""), s(rand(2120, 36, ALNUM), "typed-secret-declaration"), t("\"\nDim apiSecret As String = \""), s(rand(2121, 32, ALNUM), "typed-secret-declaration"), t("\"\nNSString *const kAPISecret = @\""), s(rand(2122, 40, ALNUM), "secret-assignment"), t("\";\n")]),
        sample("keys as url query parameters", vec![t("https://api.steampowered.example/ISteamUser/v2/?key="), s(rand(2123, 32, UPPERNUM), "url-parameter-secret"), t("&steamids=7\nhttps://acme-rtdb.firebaseio.example/users.json?auth="), s(rand(2124, 32, ALNUM), "url-parameter-secret"), t("\nhttps://acme-fn.azurewebsites.example/api/resize?code="), s(rand(2125, 40, B64URL), "url-parameter-secret"), t("\n")]),
        sample("keys as url path segments", vec![t("curl -X POST https://maker.ifttt.example/trigger/door/with/key/"), s(rand(2126, 22, ALNUM), "url-path-key"), t("\nhttps://chat.corp.example/hooks/"), s(format!("{}/{}", rand(2127, 17, ALNUM), rand(2128, 40, ALNUM)), "url-path-key"), t("\nrtmp://live.twitch.example/app/"), s(format!("live_{}_{}", rand(2129, 9, "0123456789"), rand(2130, 30, ALNUM)), "rtmp-stream-key"), t("\nRPC_URL=https://eth-mainnet.g.alchemy.com/v2/"), s(rand(2131, 32, ALNUM), "rpc-url-path-key"), t("\n")]),
        sample("passwords after a user flag and publish tokens", vec![t("hdbsql -n hana.internal:30015 -u SYSTEM -p "), s(pw(2132), "user-then-p-password"), t(" \"SELECT 1\"\ncf login -a https://api.cf.example -u ci -p "), s(pw(2133), "cli-login-password"), t(" -o acme\nnpx @vscode/vsce publish -p "), s(rand(2134, 52, ALNUM), "user-then-p-password"), t("\n")]),
        sample("directive lines ending in a password or secret", vec![t("d-i passwd/root-password password "), s(rand(2135, 16, ALNUM), "directive-word-value"), t("\nXauth password "), s(rand(2136, 16, ALNUM), "directive-word-value"), t("\nkey \"ddns\" {\n    secret \""), s(format!("{}=", rand(2137, 43, B64)), "directive-word-value"), t("\";\n};\n")]),
        sample("wireguard preshared key", vec![t("[Peer]\nPresharedKey = "), s(format!("{}=", rand(2138, 43, B64)), "secret-assignment"), t("\n")]),
        sample(
            "env dump mixed",
            vec![
                t("HOME=/home/ci\nPATH=/usr/local/bin:/usr/bin\nGITHUB_TOKEN="),
                s(gh("ghs_", 294), "github-app-token"),
                t("\nNPM_TOKEN="),
                s(format!("npm_{}", rand(295, 36, ALNUM)), "npm-access-token"),
                t("\nPWD=/work\nSTRIPE_KEY="),
                s(format!("sk_live_{}", rand(296, 30, ALNUM)), "stripe-secret-key"),
                t("\nTERM=xterm-256color\n"),
            ],
        ),
        // Names bound without `=` (bound-name-value): the statement word, then a name that
        // says secret, then the value.
        sample("csh setenv", vec![t("setenv QUAY_ROBOT_TOKEN "), s(rand(2101, 40, ALNUM), "bound-name-value"), t("\n")]),
        sample("fish universal export", vec![t("set -Ux SPOTIFY_CLIENT_SECRET '"), s(rand(2102, 32, HEX), "bound-name-value"), t("'\n")]),
        sample("windows setx", vec![t("setx WEBHOOK_SIGNING_KEY \""), s(rand(2103, 44, B64URL), "bound-name-value"), t("\" /M\n")]),
        sample("nginx set variable", vec![t("    set $upstream_token \""), s(rand(2104, 36, ALNUM), "bound-name-value"), t("\";\n")]),
        sample("dockerfile legacy ENV", vec![t("ENV REGISTRY_PASSWORD "), s(rand(2105, 30, ALNUM), "bound-name-value"), t("\n")]),
        sample("apache SetEnv", vec![t("SetEnv MAILER_PASSWORD "), s(rand(2106, 24, ALNUM), "bound-name-value"), t("\n")]),
        // A multi-line string opened on a secret-named assignment (multiline-string-secret).
        sample("terraform indented heredoc", vec![t("  client_secret = <<-EOT\n    "), s(rand(2111, 40, ALNUM), "multiline-string-secret"), t("\n  EOT\n")]),
        sample("python triple quotes", vec![t("SIGNING_SECRET = '''\n"), s(rand(2112, 48, B64URL), "multiline-string-secret"), t("\n'''\n")]),
        sample("lua level-2 long bracket", vec![t("local auth_token = [==[\n"), s(rand(2113, 32, HEX), "multiline-string-secret"), t("\n]==]\n")]),
        sample("typed kotlin raw string", vec![t("private val webhookSecret: String = \"\"\"\n    "), s(rand(2114, 36, ALNUM), "multiline-string-secret"), t("\n\"\"\".trimIndent()\n")]),
        // Lone values printed by a command that makes or reveals a secret (generated-secret-output).
        sample("apg generator", vec![t("$ apg -a 1 -m 24 -n 1\n"), s(rand(2121, 24, ALNUM), "generated-secret-output"), t("\n")]),
        sample("urandom through base64", vec![t("$ head -c 30 /dev/urandom | base64\n"), s(rand(2122, 40, B64), "generated-secret-output"), t("\n")]),
        sample("wireguard preshared key", vec![t("root@gw:~# wg genpsk\n"), s(format!("{}=", rand(2123, 43, B64)), "generated-secret-output"), t("\n")]),
        sample("secret generator with a banner", vec![t("$ mix phx.gen.secret 32\nGenerated:\n"), s(rand(2124, 32, B64URL), "generated-secret-output"), t("\n")]),
        // Session 21 (batch-17 round): one row per mechanism, inputs invented here.
        sample("dotted password with a stranded lower-case letter", vec![t("REDIS_PASSWORD="), s("Mfrtplowq3ZNAX._QEyD", "password-assignment"), t("\n")]),
        sample("k3s join token printed by cat", vec![t("$ sudo cat /var/lib/rancher/k3s/server/token\n"), s(format!("K10{}::server:{}", rand(2200, 64, HEX), rand(2201, 32, HEX)), "printed-secret-file"), t("\n")]),
        sample("powershell scope-qualified token", vec![t("$global:DeployToken = '"), s(rand(2202, 30, ALNUM), "token-assignment"), t("'\n")]),
        sample("lnd macaroon env", vec![t("export LOOP_MACAROON="), s(rand(2203, 180, HEX), "token-assignment"), t("\n")]),
        sample("enrolment and registry-creds flags", vec![t("edge-agent join --join-key "), s(rand(2204, 28, ALNUM), "cli-secret-flag"), t(" --server https://edge.example.net\nskopeo inspect --creds "), s(format!("robot:{}", rand(2205, 24, ALNUM)), "cli-secret-flag"), t(" docker://registry.example.net/app:1\n")]),
        sample("move byte-string constant", vec![t("const TREASURY_TOKEN: vector<u8> = b\""), s(rand(2206, 40, ALNUM), "typed-secret-declaration"), t("\";\n")]),
        sample("bicep param", vec![t("param sqlAdminPassword string = '"), s(rand(2207, 26, ALNUM), "typed-secret-declaration"), t("'\n")]),
        sample("vyper constant", vec![t("API_SECRET: constant(String[40]) = \""), s(rand(2208, 36, ALNUM), "typed-secret-declaration"), t("\"\n")]),
        sample("credential stores that decrypt on read", vec![t("$ systemd-creds cat api-token\n"), s(rand(2209, 32, ALNUM), "printed-secret"), t("\nPS C:\\> Get-Secret -Name GitHubPat -AsPlainText\n"), s(rand(2210, 36, ALNUM), "printed-secret"), t("\n")]),
        sample("laravel key shown", vec![t("$ php artisan key:generate --show\n"), s(format!("base64:{}=", rand(2211, 43, B64)), "printed-secret"), t("\n")]),
        sample("wallet key export", vec![t("$ bitcoin-cli dumpprivkey bc1qexampleaddr\n"), s(format!("L{}", rand(2212, 51, ALNUM)), "printed-secret"), t("\n")]),
        sample("cat of a .password file", vec![t("$ docker exec registry cat /data/admin.password\n"), s(uuid(2213), "printed-secret-file"), t("\n")]),
        sample("toml multi-line string closed on the value line", vec![t("api_token = '''\n"), s(rand(2214, 36, ALNUM), "multiline-string-secret"), t("'''\n")]),
        sample("string concatenated onto the next line", vec![t("secret := \""), s(rand(2215, 18, ALNUM), "secret-assignment"), t("\" +\n\t\""), s(rand(2216, 18, ALNUM), "concatenated-string-secret"), t("\"\n")]),
        sample("id:secret pair key", vec![t("PIXELCUT_KEY="), s(format!("{}:{}", uuid(2217), rand(2218, 32, HEX)), "env-vendor-key"), t("\n")]),
        sample("ngrok token without an underscore", vec![t("$ ngrok config add-authtoken "), s(rand(2219, 40, ALNUM), "ngrok-authtoken"), t("\n")]),
        sample("url password before a query", vec![t("notify smtps://alerts:"), s(rand(2220, 18, ALNUM), "url-credentials"), t("@mx.example.net?from=ops@example.net\n")]),
        sample("passphrase piped into a disk or pool key", vec![t("printf '%s' '"), s(rand(2221, 22, ALNUM), "echoed-key-file-passphrase"), t("' | cryptsetup open /dev/vdb2 backup -\necho -n \""), s(rand(2222, 22, ALNUM), "echoed-key-file-passphrase"), t("\" | zfs load-key pool/secure\n")]),
        sample("passphrase on fd 0", vec![t("echo '"), s(rand(2223, 20, ALNUM), "password-stdin-literal"), t("' | gpg --batch --passphrase-fd 0 -d backup.gpg\n")]),
        sample("json field named like a key", vec![t("{\"primaryReadonlyKey\": \""), s(format!("{}==", rand(2224, 86, B64)), "key-named-random-field"), t("\", \"key2\": \""), s(rand(2225, 52, UPPER32), "key-named-random-field"), t("\"}\n")]),
        sample("child of a secret-named mapping", vec![t("credentials:\n  grafana: '"), s(rand(2226, 40, ALNUM), "secret-parent-child-value"), t("'\n")]),
        sample("terraform secret resource value", vec![t("resource \"azurerm_key_vault_secret\" \"db\" {\n  name         = \"db-password\"\n  value        = \""), s(rand(2227, 28, ALNUM), "secret-parent-child-value"), t("\"\n}\n")]),
        sample("armoured token block", vec![t("-----BEGIN VPN ENROLLMENT TOKEN-----\n"), s(rand(2228, 64, B64), "armored-secret-block"), t("\n"), s(rand(2229, 40, B64), "armored-secret-block"), t("\n-----END VPN ENROLLMENT TOKEN-----\n")]),
        sample("mnemonic argument", vec![t("cast wallet import dev --mnemonic \""), s("orbit velvet glide maple harbor quiet lumber ember jungle ripple saddle tonic", "mnemonic-argument"), t("\"\n")]),
        sample("ssh-keygen passphrase starting with !", vec![t("ssh-keygen -q -t rsa -N '"), s("!Wq3RtzUe71HbnPLs.K", "cli-passphrase-flag"), t("' -f id_ci\n")]),
        sample("token as url user", vec![t("git remote add origin https://"), s(rand(2230, 40, ALNUM), "url-token-user"), t("@git.example.org/team/repo.git\n")]),
        sample("apprise urls", vec![t("apprise -b ok \"tgram://"), s(format!("7301188242:{}", rand(2231, 35, B64URL)), "apprise-url-token"), t("/-1001234\" \"discord://402918374650192837/"), s(rand(2232, 68, B64URL), "apprise-url-token"), t("\" \"gotifys://notify.example.net/"), s(format!("A{}", rand(2233, 14, ALNUM)), "apprise-url-token"), t("\"\n")]),
        sample("user:password under an auth name", vec![t("  basic_auth: \"scraper:"), s(rand(2234, 22, ALNUM), "auth-pair-value"), t("\"\n")]),
        sample("one-line terraform state", vec![t("{\"type\": \"random_password\", \"instances\": [{\"attributes\": {\"result\": \""), s(rand(2235, 20, ALNUM), "terraform-random-password-inline"), t("\"}}]}\n")]),
        sample("tink keyset and transit export", vec![t("{\"key\": [{\"keyData\": {\"typeUrl\": \"type.googleapis.com/google.crypto.tink.HmacKey\", \"value\": \""), s(rand(2236, 48, B64), "keyset-key-material"), t("\"}}]}\n{\"data\": {\"keys\": {\"3\": \""), s(format!("{}=", rand(2237, 43, B64)), "keyset-key-material"), t("\"}}}\n")]),
        sample("svn auth cache", vec![t("K 8\npassword\nV 16\n"), s("x7%Qe.Lr2#Tm9wZk", "svn-auth-cache-password"), t("\nK 8\nusername\n")]),
        sample("impacket target", vec![t("impacket-wmiexec corp.example/svc_backup:"), s(rand(2238, 24, ALNUM), "impacket-target-password"), t("@192.0.2.10\n")]),
        sample("json name/value object", vec![t("  {\n    \"name\": \"SMTP_PASSWORD\",\n    \"slotSetting\": true,\n    \"value\": \""), s(rand(2239, 20, ALNUM), "json-name-value-object"), t("\"\n  }\n")]),
        sample("unkey key", vec![t("UNKEY_ROOT="), s(format!("unkey_{}", rand(2240, 28, ALNUM)), "unkey-root-key"), t("\n")]),
        sample("ceph keyring and mount secret", vec![t("[client.backup]\n\tkey = "), s(format!("AQ{}==", rand(2241, 36, B64)), "ceph-secret-key"), t("\nmount -t ceph mon1:/ /mnt -o name=backup,secret="), s(format!("AQ{}==", rand(2242, 36, B64)), "ceph-secret-key"), t("\n")]),
        sample("roblox cookie", vec![t("Cookie: .ROBLOSECURITY=_|WARNING:-DO-NOT-SHARE-THIS.--Sharing-this-will-allow-someone-to-log-in-as-you.|_"), s(rand(2243, 160, "0123456789ABCDEF"), "roblox-security-cookie"), t("\n")]),
        sample("wordpress cookie", vec![t("Set-Cookie: wordpress_sec_"), t(rand(2244, 32, HEX)), t("="), s(format!("editor%7C1800000000%7C{}", rand(2245, 43, B64URL)), "wordpress-auth-cookie"), t("; path=/wp-admin\n")]),
        sample("sendmail authinfo", vec![t("AuthInfo:mail.example.net \"U:relay\" \"I:relay\" \"P:"), s(rand(2246, 18, ALNUM), "sendmail-authinfo-password"), t("\" \"M:PLAIN\"\n")]),
        sample("hadoop azure key", vec![t("spark.hadoop.fs.azure.account.key.datalake01.blob.core.windows.net "), t(""), t("= "), s(format!("{}==", rand(2247, 86, B64)), "hadoop-azure-account-key"), t("\n")]),
    ]
}

#[test]
fn every_true_positive_is_redacted_exactly() {
    let r = Redactor::builtin();
    let all = samples();
    let mut failures = Vec::new();
    for sm in &all {
        let (want, want_counts) = sm.expected();
        let (got, got_counts) = r.redact_str(&sm.input());
        if got != want || got_counts != want_counts {
            failures.push(format!(
                "{}:\n  input: {:?}\n  want:  {want:?}\n  got:   {got:?}\n  counts: {got_counts:?}",
                sm.name,
                sm.input()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_is_large_and_broad() {
    let all = samples();
    let secrets: usize = all
        .iter()
        .map(|s| s.parts.iter().filter(|p| matches!(p, Part::S(..))).count())
        .sum();
    let mut kinds: Vec<&str> = all
        .iter()
        .flat_map(|s| s.parts.iter())
        .filter_map(|p| match p {
            Part::S(_, id) => Some(*id),
            Part::T(_) => None,
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert!(all.len() >= 150, "{} samples", all.len());
    assert!(secrets >= 150, "{secrets} secrets");
    assert!(kinds.len() >= 40, "{} kinds", kinds.len());
}

#[test]
fn each_rule_id_in_the_corpus_is_a_builtin() {
    let ids = Redactor::builtin()
        .rule_ids()
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    for sm in samples() {
        for p in &sm.parts {
            if let Part::S(_, id) = p {
                assert!(ids.iter().any(|i| i == id), "{id}");
            }
        }
    }
}
