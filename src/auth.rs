//! Bearer-token authentication and role gating.
//!
//! Token values live in memory only as SHA-256 digests; a presented token is hashed and compared
//! against every digest in constant time. Roles are ordered: `viewer < analyst < operator <
//! admin`; a route names the least role it needs (see `ARCHITECTURE.md` for the table).

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use anyhow::Context;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::AuthSettings;
pub use crate::domain::Role;
use crate::error::{ApiError, Code};

/// The authenticated caller of a request, put into request extensions by [`gate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's configured name (never its value).
    pub name: String,
    pub role: Role,
}

struct TokenEntry {
    digest: [u8; 32],
    caller: Caller,
}

/// Where the token set came from, to explain at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    /// From config and/or `SHELLWISE_TOKEN`.
    Configured,
    /// Generated on an earlier start and read back from the state dir.
    Stored(PathBuf),
    /// Generated now; the value must be shown to the operator once.
    Generated { path: PathBuf, token: String },
}

/// The set of known tokens.
pub struct TokenStore {
    entries: Vec<TokenEntry>,
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl TokenStore {
    /// Build from explicit `(name, role, token value)` triples.
    pub fn from_values(values: &[(String, Role, String)]) -> Self {
        let entries = values
            .iter()
            .map(|(name, role, value)| TokenEntry {
                digest: digest(value),
                caller: Caller {
                    name: name.clone(),
                    role: *role,
                },
            })
            .collect();
        Self { entries }
    }

    /// Build from config, `SHELLWISE_TOKEN` (admin), and failing both, a token generated into
    /// (or read back from) `state_dir/admin.token`.
    pub fn load(
        settings: &AuthSettings,
        quick_token: Option<String>,
        env: impl Fn(&str) -> Option<String>,
        state_dir: &Path,
    ) -> anyhow::Result<(Self, TokenOrigin)> {
        let mut entries = Vec::new();
        for t in &settings.tokens {
            let digest = if let Some(var) = &t.value_env {
                let value = env(var).filter(|v| !v.is_empty()).with_context(|| {
                    format!(
                        "auth.tokens ({}): environment variable {var} is not set",
                        t.name
                    )
                })?;
                digest(&value)
            } else if let Some(hex_digest) = &t.sha256 {
                let bytes = hex::decode(hex_digest)
                    .with_context(|| format!("auth.tokens ({}): sha256 is not hex", t.name))?;
                bytes.try_into().map_err(|_| {
                    anyhow::anyhow!("auth.tokens ({}): sha256 must be 32 bytes", t.name)
                })?
            } else if let Some(value) = &t.value {
                digest(value)
            } else {
                anyhow::bail!("auth.tokens ({}): no token value", t.name);
            };
            entries.push(TokenEntry {
                digest,
                caller: Caller {
                    name: t.name.clone(),
                    role: t.role,
                },
            });
        }
        if let Some(token) = quick_token.filter(|t| !t.is_empty()) {
            entries.push(TokenEntry {
                digest: digest(&token),
                caller: Caller {
                    name: "SHELLWISE_TOKEN".to_string(),
                    role: Role::Admin,
                },
            });
        }
        if !entries.is_empty() {
            return Ok((Self { entries }, TokenOrigin::Configured));
        }
        let (token, origin) = stored_or_generated_token(state_dir)?;
        entries.push(TokenEntry {
            digest: digest(&token),
            caller: Caller {
                name: "generated-admin".to_string(),
                role: Role::Admin,
            },
        });
        Ok((Self { entries }, origin))
    }

    /// Find the caller for a presented token. Every entry is compared, in constant time each.
    pub fn authenticate(&self, presented: &str) -> Option<Caller> {
        let d = digest(presented);
        let mut found = None;
        for entry in &self.entries {
            if bool::from(entry.digest.ct_eq(&d)) {
                found = Some(entry.caller.clone());
            }
        }
        found
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A fresh random token: `sw_` + 43 characters of URL-safe base64-like alphabet (256 bits).
pub fn generate_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(format!("sw_{}", hex::encode(bytes)))
}

fn stored_or_generated_token(state_dir: &Path) -> anyhow::Result<(String, TokenOrigin)> {
    let path = state_dir.join("admin.token");
    if let Ok(existing) = fs::read_to_string(&path) {
        let token = existing.trim().to_string();
        if !token.is_empty() {
            return Ok((token, TokenOrigin::Stored(path)));
        }
    }
    fs::create_dir_all(state_dir)
        .with_context(|| format!("failed to create state dir {}", state_dir.display()))?;
    let _ = fs::set_permissions(state_dir, fs::Permissions::from_mode(0o700));
    let token = generate_token()?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("failed to write {}", path.display()))?;
    file.write_all(token.as_bytes())
        .with_context(|| format!("failed to write {}", path.display()))?;
    Ok((token.clone(), TokenOrigin::Generated { path, token }))
}

/// Pull the bearer token out of an `Authorization` header value.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        let token = rest.trim();
        (!token.is_empty()).then_some(token)
    } else {
        None
    }
}

/// Authenticate `req` and check it has at least `min`.
pub fn authenticate_request(req: &HttpRequest, min: Role) -> Result<Caller, ApiError> {
    let store = req
        .app_data::<web::Data<TokenStore>>()
        .ok_or_else(|| ApiError::internal(&anyhow::anyhow!("token store missing")))?;
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok());
    let Some(header) = header else {
        return Err(ApiError::new(
            Code::Unauthorized,
            "send `Authorization: Bearer <token>`",
        ));
    };
    let Some(token) = bearer(header) else {
        return Err(ApiError::new(
            Code::Unauthorized,
            "the Authorization header must use the Bearer scheme",
        ));
    };
    let caller = store
        .authenticate(token)
        .ok_or_else(|| ApiError::new(Code::InvalidToken, "the token is not valid"))?;
    if caller.role < min {
        return Err(ApiError::new(
            Code::InsufficientRole,
            format!(
                "this operation needs the {} role; token `{}` has {}",
                min.as_str(),
                caller.name,
                caller.role.as_str()
            ),
        ));
    }
    Ok(caller)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = req.extensions().get::<Caller>().cloned().ok_or_else(|| {
            ApiError::internal(&anyhow::anyhow!("route reached without the auth gate"))
        });
        std::future::ready(caller)
    }
}

type GateFuture<B> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>>>,
>;

/// Middleware (for `from_fn`) that lets only callers with at least `min` reach a resource, and
/// puts the [`Caller`] into the request's extensions. It runs before the body is read.
pub fn gate<B: MessageBody + 'static>(
    min: Role,
) -> impl Fn(ServiceRequest, Next<B>) -> GateFuture<B> + Clone {
    move |req, next| {
        Box::pin(async move {
            let caller = authenticate_request(req.request(), min)?;
            req.extensions_mut().insert(caller);
            next.call(req).await
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::config::TokenSettings;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Viewer < Role::Analyst);
        assert!(Role::Analyst < Role::Operator);
        assert!(Role::Operator < Role::Admin);
    }

    #[test]
    fn bearer_header_parsing() {
        let cases = [
            ("Bearer abc", Some("abc")),
            ("bearer   abc  ", Some("abc")),
            ("Basic abc", None),
            ("Bearer", None),
            ("Bearer    ", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(bearer(input), want, "{input:?}");
        }
    }

    #[test]
    fn tokens_from_config_env_and_hash_authenticate_with_their_roles() {
        let settings = AuthSettings {
            tokens: vec![
                TokenSettings {
                    name: "ci".into(),
                    role: Role::Operator,
                    approval: None,
                    value_env: Some("CI_TOK".into()),
                    sha256: None,
                    value: None,
                },
                TokenSettings {
                    name: "dash".into(),
                    role: Role::Viewer,
                    approval: None,
                    value_env: None,
                    sha256: Some(hex::encode(digest("viewer-secret"))),
                    value: None,
                },
            ],
        };
        let dir = tempfile::tempdir().unwrap();
        let (store, origin) = TokenStore::load(
            &settings,
            Some("quick".into()),
            |k| (k == "CI_TOK").then(|| "ci-secret".to_string()),
            dir.path(),
        )
        .unwrap();
        assert_eq!(origin, TokenOrigin::Configured);
        assert_eq!(
            store.authenticate("ci-secret"),
            Some(Caller {
                name: "ci".into(),
                role: Role::Operator
            })
        );
        assert_eq!(
            store.authenticate("viewer-secret"),
            Some(Caller {
                name: "dash".into(),
                role: Role::Viewer
            })
        );
        assert_eq!(
            store.authenticate("quick"),
            Some(Caller {
                name: "SHELLWISE_TOKEN".into(),
                role: Role::Admin
            })
        );
        assert_eq!(store.authenticate("nope"), None);
        assert!(!dir.path().join("admin.token").exists());
    }

    #[test]
    fn missing_env_var_for_a_token_is_a_start_error() {
        let settings = AuthSettings {
            tokens: vec![TokenSettings {
                name: "ci".into(),
                role: Role::Operator,
                approval: None,
                value_env: Some("NOT_SET".into()),
                sha256: None,
                value: None,
            }],
        };
        let dir = tempfile::tempdir().unwrap();
        let err = TokenStore::load(&settings, None, |_| None, dir.path())
            .err()
            .unwrap();
        assert!(format!("{err:#}").contains("NOT_SET"));
    }

    #[test]
    fn with_nothing_configured_a_token_is_generated_once_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let empty = AuthSettings { tokens: vec![] };
        let (store, origin) = TokenStore::load(&empty, None, |_| None, dir.path()).unwrap();
        let TokenOrigin::Generated { path, token } = origin else {
            panic!("expected a generated token");
        };
        assert!(token.starts_with("sw_") && token.len() == 67);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            store.authenticate(&token).map(|c| c.role),
            Some(Role::Admin)
        );

        let (again, origin) = TokenStore::load(&empty, None, |_| None, dir.path()).unwrap();
        assert_eq!(origin, TokenOrigin::Stored(path));
        assert!(again.authenticate(&token).is_some());
    }
}
