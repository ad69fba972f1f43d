//! The HTTP layer: routes, auth gates, the OpenAPI document and Swagger UI.
//!
//! Handlers only see authorized, decoded input (auth is a per-resource middleware, decoding is
//! the JSON extractor with [`problems::json_config`]); they call the service and map its errors.

pub mod analyze;
pub mod chat;
pub mod exec;
pub mod meta;
pub mod models;
pub mod policy;
pub mod problems;
pub mod sse;

use actix_web::middleware::from_fn;
use actix_web::{web, HttpResponse};
use serde_json::json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::{gate, Role};

/// HTTP settings handlers read at request time.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub sse_heartbeat_ms: u64,
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
    paths(exec::run_command, exec::stream_command, analyze::analyze_failure, policy::check_policy, policy::reload_policy, chat::chat_with_model, chat::stream_chat, models::list_models, models::get_selected_model, models::select_model, meta::healthz, meta::readyz, meta::metrics),
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

/// Whether an operation changes the machine; ChatGPT asks the user before consequential ones.
const CONSEQUENTIAL: &[(&str, bool)] = &[
    ("runCommand", true),
    ("streamCommand", true),
    ("analyzeFailure", false),
    ("checkPolicy", false),
    ("reloadPolicy", true),
    ("chatWithModel", false),
    ("streamChat", false),
    ("listModels", false),
    ("getSelectedModel", false),
    ("selectModel", true),
    ("getHealth", false),
    ("getReadiness", false),
    ("getMetrics", false),
];

/// The OpenAPI 3.1 document, exactly as served and as committed in `openapi/openapi.json`.
pub fn openapi() -> OpenApiDoc {
    let mut doc = ApiDoc::openapi();
    require_exactly_one_subject(&mut doc);
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let id = op.operation_id.clone().unwrap_or_default();
            let consequential = CONSEQUENTIAL
                .iter()
                .find(|(name, _)| *name == id)
                .map(|(_, c)| *c)
                .unwrap_or(true);
            let ext = op.extensions.get_or_insert_with(Default::default);
            ext.merge(
                utoipa::openapi::extensions::ExtensionsBuilder::new()
                    .add("x-openai-isConsequential", json!(consequential))
                    .build(),
            );
        }
    }
    doc
}

/// The document as served: operations of switched-off features are left out.
pub fn openapi_for(features: &crate::config::FeatureSettings) -> OpenApiDoc {
    let mut doc = openapi();
    let off: Vec<&str> = [
        (!features.exec).then_some(["/v1/exec", "/v1/exec/stream"].as_slice()),
        (!features.chat).then_some(["/v1/chat", "/v1/chat/stream"].as_slice()),
    ]
    .into_iter()
    .flatten()
    .flatten()
    .copied()
    .collect();
    for path in off {
        doc.paths.paths.shift_remove(path);
    }
    doc
}

/// Say in the schema what the server enforces: a request names exactly one of `command`,
/// `argv`, or `code` with `language` (so generated clients and contract fuzzers agree).
fn require_exactly_one_subject(doc: &mut OpenApiDoc) {
    use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Schema};
    use utoipa::openapi::RefOr;
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(original)) = components.schemas.get("ExecRequest").cloned() else {
        return;
    };
    let needs = |fields: &[&str]| {
        let mut b = ObjectBuilder::new();
        for f in fields {
            b = b.required(*f);
        }
        b.build()
    };
    let one_of = OneOfBuilder::new()
        .item(needs(&["command"]))
        .item(needs(&["argv"]))
        .item(needs(&["code", "language"]))
        .build();
    let combined = AllOfBuilder::new()
        .item(original)
        .item(Schema::OneOf(one_of))
        .build();
    components
        .schemas
        .insert("ExecRequest".to_string(), RefOr::T(Schema::AllOf(combined)));
}

/// Operations that stream (`text/event-stream`); ChatGPT Actions cannot use them.
const STREAMING_PATHS: &[&str] = &["/v1/exec/stream", "/v1/chat/stream"];

/// The document to import into a ChatGPT custom GPT (Actions): the served document without
/// streaming operations, with `servers` set to `server.public_url` when configured.
pub fn openapi_actions(features: &crate::config::FeatureSettings, public_url: &str) -> OpenApiDoc {
    let mut doc = openapi_for(features);
    for path in STREAMING_PATHS {
        doc.paths.paths.shift_remove(*path);
    }
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
pub fn routes(
    cfg: &mut web::ServiceConfig,
    metrics_public: bool,
    features: crate::config::FeatureSettings,
) {
    cfg.service(
        web::resource("/openapi-actions.json")
            .route(web::get().to(actions_document))
            .default_service(web::to(problems::method_not_allowed("GET"))),
    );
    use problems::method_not_allowed as not_allowed;
    cfg.service(
        web::resource("/healthz")
            .route(web::get().to(meta::healthz))
            .default_service(web::to(not_allowed("GET"))),
    )
    .service(
        web::resource("/readyz")
            .route(web::get().to(meta::readyz))
            .default_service(web::to(not_allowed("GET"))),
    )
    .service(
        web::resource("/v1/exec")
            .route(web::post().to(exec::run_command))
            .default_service(web::to(not_allowed("POST")))
            .wrap(from_fn(gate(Role::Operator))),
    )
    .service(
        web::resource("/v1/exec/stream")
            .route(web::post().to(exec::stream_command))
            .default_service(web::to(not_allowed("POST")))
            .wrap(from_fn(gate(Role::Operator))),
    )
    .service(
        web::resource("/v1/policy/check")
            .route(web::post().to(policy::check_policy))
            .default_service(web::to(not_allowed("POST")))
            .wrap(from_fn(gate(Role::Viewer))),
    )
    .service(
        web::resource("/v1/policy/reload")
            .route(web::post().to(policy::reload_policy))
            .default_service(web::to(not_allowed("POST")))
            .wrap(from_fn(gate(Role::Admin))),
    )
    .service(
        web::resource("/v1/analyze")
            .route(web::post().to(analyze::analyze_failure))
            .default_service(web::to(not_allowed("POST")))
            .wrap(from_fn(gate(Role::Analyst))),
    )
    .service(
        web::resource("/v1/chat")
            .route(web::post().to(chat::chat_with_model))
            .default_service(web::to(not_allowed("POST")))
            .wrap(from_fn(gate(Role::Analyst))),
    )
    .service(
        web::resource("/v1/chat/stream")
            .route(web::post().to(chat::stream_chat))
            .default_service(web::to(not_allowed("POST")))
            .wrap(from_fn(gate(Role::Analyst))),
    )
    .service(
        web::resource("/v1/models")
            .route(web::get().to(models::list_models))
            .default_service(web::to(not_allowed("GET")))
            .wrap(from_fn(gate(Role::Viewer))),
    )
    .service(
        // Reading needs viewer, changing needs admin: the gates sit on the routes.
        web::resource("/v1/models/selected")
            .route(
                web::get()
                    .to(models::get_selected_model)
                    .wrap(from_fn(gate(Role::Viewer))),
            )
            .route(
                web::put()
                    .to(models::select_model)
                    .wrap(from_fn(gate(Role::Admin))),
            )
            .default_service(web::to(not_allowed("GET, PUT"))),
    )
    .service(web::resource("/docs").route(web::get().to(|| async {
        HttpResponse::PermanentRedirect()
            .insert_header(("Location", "/docs/"))
            .finish()
    })))
    .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi_for(&features)));
    let metrics = web::resource("/metrics")
        .route(web::get().to(meta::metrics))
        .default_service(web::to(not_allowed("GET")));
    if metrics_public {
        cfg.service(metrics);
    } else {
        cfg.service(metrics.wrap(from_fn(gate(Role::Viewer))));
    }
}
