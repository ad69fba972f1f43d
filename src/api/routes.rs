//! Where each operation is declared once. A handler's `#[utoipa::path]` says its path, method,
//! `operationId`, docs, examples and `x-openai-isConsequential`; its [`Route`] (next to it, in
//! the module's `routes()`) adds who may call it and which feature switch removes it. Routing,
//! the OpenAPI document, the Actions document and the 405 `Allow` lists are all derived from
//! that list; whether an operation streams is read from its declared `text/event-stream`
//! response, never from a separate table. Every `GET` also answers `HEAD` (same handler and
//! gate; actix sends the headers without the body), as load balancers probe with it.

use actix_web::middleware::from_fn;
use actix_web::{web, FromRequest, Handler, Responder};
use utoipa::openapi::path::{HttpMethod, Operation, PathItem};
use utoipa::openapi::OpenApi as OpenApiDoc;

use super::problems::method_not_allowed;
use crate::auth::gate;
use crate::config::FeatureSettings;
use crate::domain::Role;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token needed.
    Public,
    /// A token whose role is at least this one.
    Role(Role),
}

/// A `[features]` switch that takes an operation out of the served documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Exec,
    Chat,
}

impl Feature {
    fn enabled(self, features: &FeatureSettings) -> bool {
        match self {
            Feature::Exec => features.exec,
            Feature::Chat => features.chat,
        }
    }
}

/// One operation: its handler and documentation, who may call it, what switches it off.
pub struct Route {
    path: String,
    method: HttpMethod,
    access: Access,
    feature: Option<Feature>,
    route: actix_web::Route,
    /// The `HEAD` twin of a `GET` route.
    head: Option<actix_web::Route>,
    document: fn() -> (Operation, Vec<SchemaEntry>),
}

type SchemaEntry = (
    String,
    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
);

impl Route {
    /// The operation `P` (the type `#[utoipa::path]` generates for `handler`), served by
    /// `handler` to callers with `access`.
    ///
    /// The documentation is read through the traits utoipa's own `OpenApi` derive uses for
    /// `paths(...)` (`utoipa::__dev`): the path's operation, its tags and the schemas it refers
    /// to. They are hidden from utoipa's docs but are what its derive expands to; the committed
    /// spec's drift test notices if an upgrade changes them.
    pub fn of<P, F, Args>(access: Access, handler: F) -> Route
    where
        P: utoipa::Path + for<'t> utoipa::__dev::Tags<'t> + utoipa::__dev::SchemaReferences,
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let method = P::methods().into_iter().next().unwrap_or(HttpMethod::Get);
        let head = (method == HttpMethod::Get).then(|| {
            web::route()
                .method(actix_web::http::Method::HEAD)
                .to(handler.clone())
        });
        Route {
            path: P::path(),
            route: web::route().method(actix_method(&method)).to(handler),
            head,
            method,
            access,
            feature: None,
            document: document::<P>,
        }
    }

    /// Taken out of the served documents when `feature` is switched off.
    pub fn feature(mut self, feature: Feature) -> Route {
        self.feature = Some(feature);
        self
    }
}

fn document<P>() -> (Operation, Vec<SchemaEntry>)
where
    P: utoipa::Path + for<'t> utoipa::__dev::Tags<'t> + utoipa::__dev::SchemaReferences,
{
    let mut operation = P::operation();
    let tags = <P as utoipa::__dev::Tags>::tags();
    operation
        .tags
        .get_or_insert_with(Vec::new)
        .extend(tags.iter().map(|t| t.to_string()));
    let mut schemas = Vec::new();
    <P as utoipa::__dev::SchemaReferences>::schemas(&mut schemas);
    (operation, schemas)
}

fn actix_method(m: &HttpMethod) -> actix_web::http::Method {
    use actix_web::http::Method;
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Trace => Method::TRACE,
    }
}

fn method_name(m: &HttpMethod) -> &'static str {
    match m {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Head => "HEAD",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Trace => "TRACE",
    }
}

/// Routes grouped by path, in declaration order.
fn by_path(routes: Vec<Route>) -> Vec<(String, Vec<Route>)> {
    let mut groups: Vec<(String, Vec<Route>)> = Vec::new();
    for route in routes {
        match groups.iter_mut().find(|(p, _)| *p == route.path) {
            Some((_, group)) => group.push(route),
            None => groups.push((route.path.clone(), vec![route])),
        }
    }
    groups
}

/// Register `routes`: one resource per path, its gate on the resource when every method
/// shares one access (so a wrong method without a token is still a 401), else on each route;
/// any other method gets 405 with the `Allow` list.
pub fn register(cfg: &mut web::ServiceConfig, routes: Vec<Route>) {
    for (path, group) in by_path(routes) {
        let allow = group
            .iter()
            .flat_map(|r| {
                let head = r.head.as_ref().map(|_| "HEAD");
                std::iter::once(method_name(&r.method)).chain(head)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let first = group[0].access;
        let shared = group.iter().all(|r| r.access == first);
        let mut resource =
            web::resource(path.as_str()).default_service(web::to(method_not_allowed(allow)));
        for r in group {
            for route in std::iter::once(r.route).chain(r.head) {
                resource = match (shared, r.access) {
                    (false, Access::Role(role)) => resource.route(route.wrap(from_fn(gate(role)))),
                    _ => resource.route(route),
                };
            }
        }
        match (shared, first) {
            (true, Access::Role(role)) => cfg.service(resource.wrap(from_fn(gate(role)))),
            _ => cfg.service(resource),
        };
    }
}

/// Add every route's operation and schemas to `doc`.
pub fn document_all(doc: &mut OpenApiDoc, routes: &[Route]) {
    let mut schemas = Vec::new();
    for r in routes {
        let (operation, refs) = (r.document)();
        doc.paths
            .add_path_operation(r.path.as_str(), vec![r.method.clone()], operation);
        schemas.extend(refs);
    }
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in schemas {
        components.schemas.entry(name).or_insert(schema);
    }
}

/// Remove the operations of switched-off features from `doc`.
pub fn remove_disabled(doc: &mut OpenApiDoc, routes: &[Route], features: &FeatureSettings) {
    for r in routes {
        if r.feature.is_some_and(|f| !f.enabled(features)) {
            remove_operation(doc, &r.path, &r.method);
        }
    }
}

/// Remove every operation that answers with `text/event-stream` (ChatGPT Actions cannot use
/// them).
pub fn remove_streaming(doc: &mut OpenApiDoc) {
    let streaming: Vec<(String, HttpMethod)> = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            operations(item)
                .filter(|(_, op)| streams(op))
                .map(|(m, _)| (path.clone(), m))
                .collect::<Vec<_>>()
        })
        .collect();
    for (path, method) in streaming {
        remove_operation(doc, &path, &method);
    }
}

/// Whether an operation's success response is an event stream.
pub fn streams(op: &Operation) -> bool {
    use utoipa::openapi::RefOr;
    op.responses.responses.values().any(|r| match r {
        RefOr::T(resp) => resp.content.contains_key("text/event-stream"),
        RefOr::Ref(_) => false,
    })
}

/// The operations of a path item, with their methods.
pub fn operations(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &Operation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Patch, &item.patch),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
}

fn remove_operation(doc: &mut OpenApiDoc, path: &str, method: &HttpMethod) {
    let Some(item) = doc.paths.paths.get_mut(path) else {
        return;
    };
    let slot = match method {
        HttpMethod::Get => &mut item.get,
        HttpMethod::Post => &mut item.post,
        HttpMethod::Put => &mut item.put,
        HttpMethod::Delete => &mut item.delete,
        HttpMethod::Patch => &mut item.patch,
        HttpMethod::Head => &mut item.head,
        HttpMethod::Options => &mut item.options,
        HttpMethod::Trace => &mut item.trace,
    };
    *slot = None;
    if operations(item).next().is_none() {
        doc.paths.paths.shift_remove(path);
    }
}

#[cfg(test)]
mod schema_tests {
    #![allow(clippy::unwrap_used)]

    /// `document_all` keeps the first schema of a name: two types documented under one name
    /// would make every reference to the second point at the first (the chat message's `Role`
    /// once became the token roles that way).
    #[test]
    fn no_two_schemas_share_a_name() {
        let mut seen = std::collections::HashMap::new();
        for route in super::super::all_routes(false) {
            let (_, schemas) = (route.document)();
            for (name, schema) in schemas {
                let json = serde_json::to_string(&schema).unwrap();
                if let Some(before) = seen.insert(name.clone(), json.clone()) {
                    assert_eq!(before, json, "two different schemas are named `{name}`");
                }
            }
        }
    }
}
