//! `GET /v1/models` (discovery with capabilities and provider health) and
//! `GET`/`PUT /v1/models/selected` (the default model, persisted in the state directory).

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::chat::llm_problem;
use super::routes::{Access, Route};
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Code, Problem};
use crate::llm::{LlmError, ProviderHealth, ProviderModels, Router};
use crate::service::selection::{Selection, SelectionStore};
use crate::service::ExecService;

/// The default model requests use when they name none.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"provider": "local", "model": "llama3.2"}))]
pub struct SelectedModel {
    /// Provider name (as configured).
    #[schema(min_length = 1)]
    pub provider: String,
    /// Model id as the provider spells it.
    #[schema(min_length = 1)]
    pub model: String,
}

/// The current selection, if any.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"selected": {"provider": "local", "model": "llama3.2"}}))]
pub struct SelectedModelState {
    /// The selected default, or `null` when routing goes by provider priority.
    pub selected: Option<SelectedModel>,
}

/// Every provider's models, their capabilities, and each provider's health.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "providers": [{"provider": "local", "kind": "ollama", "reachable": true, "breaker": "closed",
        "models": [{"id": "llama3.2:latest", "capabilities": {"chat": true, "streaming": true, "tools": true,
            "jsonSchema": true, "vision": false, "contextLength": 131072}}]}],
    "health": [{"provider": "local", "kind": "ollama", "priority": 0, "state": "closed", "consecutiveFailures": 0}],
    "selected": null
}))]
pub struct ModelList {
    /// Per provider, in configuration order: reachability and models (the configured ones
    /// when the provider could not be asked).
    pub providers: Vec<ProviderModels>,
    /// Per provider: circuit-breaker state and the last failure's kind.
    pub health: Vec<ProviderHealth>,
    /// The selected default model, if any.
    pub selected: Option<SelectedModel>,
}

fn selected(router: &Router) -> Option<SelectedModel> {
    router
        .selected()
        .map(|(provider, model)| SelectedModel { provider, model })
}

/// List models.
#[utoipa::path(
    get,
    path = "/v1/models",
    operation_id = "listModels",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "llm",
    summary = "List every LLM provider's models with their capabilities and the providers' health",
    description = "Asks every configured provider for its models (concurrently, bounded) and \
returns them with capabilities (chat, streaming, tools, JSON Schema, vision, context length), \
each provider's breaker state and the selected default; an unreachable one is listed with its \
error. Viewer role.",
    responses(
        (status = 200, description = "Providers, models and health.", body = ModelList),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token.", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn list_models(caller: Caller, router: web::Data<Router>) -> web::Json<ModelList> {
    let providers = router.models().await;
    web::Json(ModelList {
        providers,
        health: router.health(),
        selected: selected(&router),
    })
}

/// The selected default model.
#[utoipa::path(
    get,
    path = "/v1/models/selected",
    operation_id = "getSelectedModel",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "llm",
    summary = "Show the default LLM provider and model used when a request names neither",
    description = "Returns the selected default model (set with selectModel and kept across \
restarts), or `null` when requests are routed by provider priority. Needs the viewer role.",
    responses(
        (status = 200, description = "The selection.", body = SelectedModelState),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token.", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn get_selected_model(
    caller: Caller,
    router: web::Data<Router>,
) -> web::Json<SelectedModelState> {
    web::Json(SelectedModelState {
        selected: selected(&router),
    })
}

/// Select the default model.
#[utoipa::path(
    put,
    path = "/v1/models/selected",
    operation_id = "selectModel",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "llm",
    summary = "Set the default LLM provider and model for chat and failure analysis",
    description = "Sets the model used when a request names no provider or model, including \
the analysis of failed commands, and keeps it across restarts. The provider must be configured; \
when it can be asked, the model must be among the models it lists. Needs the admin role.",
    request_body(content = SelectedModel, examples(
        ("local" = (summary = "A local Ollama model", value = json!({"provider": "local", "model": "llama3.2"})))
    )),
    responses(
        (status = 200, description = "The new selection.", body = SelectedModelState),
        (status = 400, description = "Invalid body, or an empty `model` (`invalid_request`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or a role below admin.", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such provider (`unknown_provider`), or the provider does not list \
the model (`model_not_found`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "The selection could not be saved.", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn select_model(
    caller: Caller,
    service: web::Data<ExecService>,
    router: web::Data<Router>,
    store: web::Data<SelectionStore>,
    body: web::Json<crate::lenient::Object<SelectedModel>>,
) -> Result<web::Json<SelectedModelState>, ApiError> {
    let want = body.into_inner().0;
    if want.model.trim().is_empty() {
        return Err(ApiError::new(Code::InvalidRequest, "`model` is empty"));
    }
    if !router.provider_names().contains(&want.provider) {
        return Err(llm_problem(
            &service,
            LlmError::UnknownProvider(want.provider),
        ));
    }
    let listing = router.models().await;
    let known = listing
        .iter()
        .find(|p| p.provider == want.provider)
        .filter(|p| p.reachable)
        .map(|p| p.models.iter().any(|m| m.id == want.model));
    if known == Some(false) {
        return Err(llm_problem(
            &service,
            LlmError::ModelNotFound {
                provider: want.provider,
                model: want.model,
            },
        ));
    }
    router
        .select_default(&want.provider, &want.model)
        .map_err(|e| llm_problem(&service, e))?;
    store
        .save(&Selection {
            provider: want.provider.clone(),
            model: want.model.clone(),
        })
        .map_err(|e| ApiError::internal(&e))?;
    tracing::info!(provider = %want.provider, model = %want.model, "default model selected");
    Ok(web::Json(SelectedModelState {
        selected: Some(want),
    }))
}

/// The model operations: reading needs viewer, changing the selection admin.
pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::of::<__path_list_models, _, _>(Access::Role(Role::Viewer), list_models),
        Route::of::<__path_get_selected_model, _, _>(
            Access::Role(Role::Viewer),
            get_selected_model,
        ),
        Route::of::<__path_select_model, _, _>(Access::Role(Role::Admin), select_model),
    ]
}
