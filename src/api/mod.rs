//! The HTTP layer: routes, auth gates, the OpenAPI document and Swagger UI.
//!
//! Handlers only see authorized, decoded input (auth is a per-resource middleware, decoding is
//! the JSON extractor with [`problems::json_config`]); they call the service and map its errors.

pub mod analyze;
pub mod chat;
pub mod exec;
pub mod meta;
pub mod models;
mod openapi;
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
        analyze::routes(),
        policy::routes(),
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
/// streaming operations, with `servers` set to `server.public_url` when configured.
pub fn openapi_actions(features: &crate::config::FeatureSettings, public_url: &str) -> OpenApiDoc {
    let mut doc = openapi_for(features);
    routes::remove_streaming(&mut doc);
    if !public_url.is_empty() {
        doc.servers = Some(vec![utoipa::openapi::server::Server::new(public_url)]);
    }
    doc
}

/// `GET /openapi-actions.json` (public, like `/openapi.json`).
async fn actions_document(doc: web::Data<ActionsDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}

/// The serialized Actions document, built once.
pub struct ActionsDocument(pub String);

/// Pretty JSON of [`openapi`], with a trailing newline (the committed file's format).
pub fn openapi_json() -> String {
    let mut s = serde_json::to_string_pretty(&openapi()).unwrap_or_default();
    s.push('\n');
    s
}

/// Register every route.
pub fn configure(
    cfg: &mut web::ServiceConfig,
    metrics_public: bool,
    features: crate::config::FeatureSettings,
) {
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
    .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi_for(&features)));
}
