//! The HTTP layer: routes, auth gates, the OpenAPI document and Swagger UI.
//!
//! Handlers only see authorized, decoded input (auth is a per-resource middleware, decoding is
//! the JSON extractor with [`problems::json_config`]); they call the service and map its errors.

pub mod analyze;
pub mod approvals;
pub mod chat;
pub mod exec;
pub mod files;
pub mod jobs;
pub mod meta;
pub mod models;
mod openapi;
pub mod peer;
pub mod policy;
pub mod problems;
pub mod routes;
pub mod sse;

use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

/// HTTP settings handlers read at request time.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub sse_heartbeat_ms: u64,
    /// Deadline of a request body after its headers.
    pub body_timeout_ms: u64,
    /// Deadline of a `/v1/chat` answer.
    pub chat_timeout_ms: u64,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "shellwise",
        description = "Run shell commands, programs and code snippets on this machine safely — \
each in its own process group under a wall-clock limit and an output cap, with a scrubbed \
environment — and get structured results. Authenticate with `Authorization: Bearer <token>`.",
        license(name = "Apache-2.0")
    ),
    components(schemas(crate::error::Code)),
    modifiers(&Security),
    tags(
        (name = "exec", description = "Run commands"),
        (name = "jobs", description = "Commands that outlive a request: start, poll, follow, cancel"),
        (name = "workspaces", description = "Directories of a token's own where commands and file operations work"),
        (name = "files", description = "Read, write, patch, list, search, upload and download inside a workspace"),
        (name = "analysis", description = "Explain failures"),
        (name = "policy", description = "The allow/deny policy"),
        (name = "llm", description = "Chat with LLM providers, discover and select models"),
        (name = "meta", description = "Health, readiness, metrics")
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A shellwise token (roles: viewer, analyst, operator, admin)",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every operation, in the order the documents list them.
fn all_routes(metrics_public: bool) -> Vec<routes::Route> {
    [
        exec::routes(),
        jobs::routes(),
        files::routes(),
        analyze::routes(),
        policy::routes(),
        approvals::routes(),
        chat::routes(),
        models::routes(),
        meta::routes(metrics_public),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The OpenAPI 3.1 document, exactly as served and as committed in `openapi/openapi.json`.
pub fn openapi() -> OpenApiDoc {
    let mut doc = ApiDoc::openapi();
    routes::document_all(&mut doc, &all_routes(false));
    openapi::exec_request_rules(&mut doc);
    openapi::analyze_request_rules(&mut doc);
    openapi::problem_examples(&mut doc);
    openapi::stream_frames(&mut doc);
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// The document as served: operations of switched-off features are left out.
pub fn openapi_for(features: &crate::config::FeatureSettings) -> OpenApiDoc {
    let mut doc = openapi();
    routes::remove_disabled(&mut doc, &all_routes(false), features);
    doc
}

/// The document to import into a ChatGPT custom GPT (Actions): the served document without
/// streaming operations (Actions cannot stream), with `servers` set to `server.public_url`
/// (the importer needs it: without one there is no document, only the reason), and the
/// bounds an Action lives by: `timeoutMs` and `waitMs` under the 45 s an Action may take.
pub fn openapi_actions(
    features: &crate::config::FeatureSettings,
    public_url: &str,
    max_wait_ms: u64,
) -> Result<serde_json::Value, String> {
    if public_url.is_empty() {
        return Err(
            "no server.public_url is set: ChatGPT Actions need the https URL they \
                    reach this server at (set server.public_url, or \
                    SHELLWISE__SERVER__PUBLIC_URL)"
                .to_string(),
        );
    }
    crate::config::check_public_url(public_url).map_err(|e| format!("server.public_url: {e}"))?;
    let mut doc = openapi_for(features);
    routes::remove_streaming(&mut doc);
    doc.servers = Some(vec![utoipa::openapi::server::Server::new(public_url)]);
    let mut doc = serde_json::to_value(&doc).map_err(|e| e.to_string())?;
    keep_json_only(&mut doc);
    cap_for_actions(&mut doc, max_wait_ms);
    Ok(doc)
}

/// Actions speak JSON: an operation that answers anything else (metrics text, file bytes) or
/// takes anything else (a raw upload) is left out.
fn keep_json_only(doc: &mut serde_json::Value) {
    let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return;
    };
    for item in paths.values_mut() {
        if let Some(methods) = item.as_object_mut() {
            methods.retain(|_, op| {
                let takes_json = op["requestBody"]["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .all(|(media, _)| media.ends_with("json"));
                takes_json
                    && op["responses"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .all(|(_, r)| {
                            r["content"]
                                .as_object()
                                .into_iter()
                                .flatten()
                                .all(|(media, _)| media.ends_with("json"))
                        })
            });
        }
    }
    paths.retain(|_, item| item.as_object().is_some_and(|m| !m.is_empty()));
}

/// The longest command an Action should run inline; longer work goes through startJob.
pub const ACTIONS_MAX_TIMEOUT_MS: u64 = 40_000;

/// Cap `timeoutMs` (inline runs) and `waitMs` (job waits) in the document: an Action is cut
/// at 45 s.
/// The largest file page an Action may ask for.
const ACTIONS_MAX_READ_BYTES: u64 = 60_000;

fn cap_for_actions(doc: &mut serde_json::Value, max_wait_ms: u64) {
    fn walk(v: &mut serde_json::Value, max_wait_ms: u64) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(t) = map
                    .get_mut("properties")
                    .and_then(|p| p.get_mut("timeoutMs"))
                {
                    t["maximum"] = ACTIONS_MAX_TIMEOUT_MS.into();
                    t["description"] = format!(
                        "Wall-clock limit in ms (at most {ACTIONS_MAX_TIMEOUT_MS} here: an Action \
                         is cut at 45 s; use startJob for longer work)."
                    )
                    .into();
                }
                if map.get("name").and_then(|n| n.as_str()) == Some("waitMs") {
                    if let Some(s) = map.get_mut("schema") {
                        s["maximum"] = max_wait_ms.into();
                    }
                }
                // A file page must fit an Action's response (100,000 characters, and base64
                // or JSON escaping grows the bytes).
                if map.get("name").and_then(|n| n.as_str()) == Some("maxBytes") {
                    if let Some(s) = map.get_mut("schema") {
                        s["maximum"] = ACTIONS_MAX_READ_BYTES.into();
                    }
                }
                map.values_mut().for_each(|c| walk(c, max_wait_ms));
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|c| walk(c, max_wait_ms)),
            _ => {}
        }
    }
    walk(doc, max_wait_ms);
}

/// `GET /openapi-actions.json` (public, like `/openapi.json`); a clear problem when the
/// server cannot publish one ChatGPT can import.
async fn actions_document(
    doc: web::Data<ActionsDocument>,
) -> Result<HttpResponse, crate::error::ApiError> {
    match &doc.0 {
        Ok(text) => Ok(HttpResponse::Ok()
            .content_type("application/json")
            .body(text.clone())),
        Err(why) => Err(crate::error::ApiError::new(
            crate::error::Code::ActionsNotConfigured,
            why.clone(),
        )),
    }
}

/// The serialized Actions document, built once (or why there is none).
pub struct ActionsDocument(pub Result<String, String>);

/// Pretty JSON of [`openapi`], with a trailing newline (the committed file's format).
pub fn openapi_json() -> String {
    let mut s = serde_json::to_string_pretty(&openapi()).unwrap_or_default();
    s.push('\n');
    s
}

/// Register every route.
pub fn configure(cfg: &mut web::ServiceConfig, metrics_public: bool) {
    use problems::method_not_allowed as not_allowed;
    cfg.service(
        web::resource("/openapi-actions.json")
            .route(web::get().to(actions_document))
            .default_service(web::to(not_allowed("GET".into()))),
    );
    routes::register(cfg, all_routes(metrics_public));
    cfg.service(web::resource("/docs").route(web::get().to(|| async {
        HttpResponse::PermanentRedirect()
            .insert_header(("Location", "/docs/"))
            .finish()
    })))
    .service(
        web::resource("/openapi.json")
            .route(web::get().to(served_document))
            .route(web::head().to(served_document))
            .default_service(web::to(not_allowed("GET, HEAD".into()))),
    )
    // The UI only names the document's URL: one serialized copy is shared by every worker
    // (a document per worker, as `SwaggerUi::url` keeps, cost megabytes of idle memory).
    .service(
        SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::new(["/openapi.json"])),
    );
}

/// The served `/openapi.json` (operations of switched-off features left out), built once.
pub struct ServedDocument(pub bytes::Bytes);

impl ServedDocument {
    pub fn new(features: &crate::config::FeatureSettings) -> ServedDocument {
        let doc = serde_json::to_string(&openapi_for(features)).unwrap_or_default();
        ServedDocument(bytes::Bytes::from(doc))
    }
}

async fn served_document(doc: web::Data<ServedDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}
