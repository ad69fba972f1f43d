//! What the derives cannot say, written into the document: the rules the server holds a
//! request to, so that generated clients and contract fuzzers agree with it.

use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, AnyOfBuilder, ObjectBuilder, OneOfBuilder, Schema,
    SchemaType, Type,
};
use utoipa::openapi::{OpenApi as OpenApiDoc, RefOr};

use crate::error::{Code, PROBLEM_JSON};
use crate::exec::{self, env};
use crate::service::types::COMMAND_PATTERN;

/// A string without NUL bytes (execve cannot pass one).
const NO_NUL: &str = "^[^\\u0000]*$";

/// `ExecRequest`: exactly one of `command` (with `shell` if any), `argv`, or `code` with
/// `language`. A `null` member counts as absent, as the server reads it, so each branch
/// requires its own members as non-null and allows the others only as `null` or missing:
/// the branches exclude each other. `argv[0]` (the program) is non-empty; `env` names
/// follow [`env::valid_name`]; `language` is one of the names `exec::interp` knows.
pub(super) fn exec_request_rules(doc: &mut OpenApiDoc) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(mut base))) = components.schemas.get("ExecRequest").cloned()
    else {
        return;
    };
    let string = || ObjectBuilder::new().schema_type(Type::String);
    if let Some(RefOr::T(Schema::Array(argv))) = base.properties.get_mut("argv") {
        argv.prefix_items = vec![string().min_length(Some(1)).pattern(Some(NO_NUL)).into()];
        argv.items = utoipa::openapi::schema::ArrayItems::RefOrSchema(Box::new(
            string().pattern(Some(NO_NUL)).into(),
        ));
    }
    if let Some(RefOr::T(Schema::Object(language))) = base.properties.get_mut("language") {
        let names = crate::exec::interp::accepted_names()
            .into_iter()
            .map(Into::into);
        language.enum_values = Some(names.chain([serde_json::Value::Null]).collect());
    }
    for (name, pattern) in [("command", COMMAND_PATTERN), ("code", NO_NUL)] {
        if let Some(RefOr::T(Schema::Object(text))) = base.properties.get_mut(name) {
            text.pattern = Some(pattern.to_string());
        }
    }
    if let Some(RefOr::T(Schema::Object(env))) = base.properties.get_mut("env") {
        env.property_names = Some(Box::new(
            string().pattern(Some(env::NAME_PATTERN)).build().into(),
        ));
        env.additional_properties = Some(Box::new(AdditionalProperties::RefOr(RefOr::T(
            string().pattern(Some(NO_NUL)).into(),
        ))));
    }
    let branch = |title: &str, given: &[(&str, Type)], absent: &[&str]| {
        let mut b = ObjectBuilder::new().title(Some(title));
        for (name, ty) in given {
            b = b
                .required(*name)
                .property(*name, ObjectBuilder::new().schema_type(ty.clone()));
        }
        for name in absent {
            b = b.property(*name, ObjectBuilder::new().schema_type(Type::Null));
        }
        b.build()
    };
    let one_of = OneOfBuilder::new()
        .item(branch(
            "command",
            &[("command", Type::String)],
            &["argv", "code", "language"],
        ))
        .item(branch(
            "argv",
            &[("argv", Type::Array)],
            &["command", "shell", "code", "language"],
        ))
        .item(branch(
            "code",
            &[("code", Type::String), ("language", Type::String)],
            &["command", "shell", "argv"],
        ))
        .build();
    let combined = AllOfBuilder::new()
        .item(Schema::Object(base))
        .item(Schema::OneOf(one_of))
        .build();
    components
        .schemas
        .insert("ExecRequest".to_string(), RefOr::T(Schema::AllOf(combined)));
}

/// `AnalyzeRequest`: `signal` is a number or a name as runCommand reports it, and at least
/// one of `exitCode` and `signal` is given (a step killed by a signal has no exit code).
pub(super) fn analyze_request_rules(doc: &mut OpenApiDoc) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(mut base))) =
        components.schemas.get("AnalyzeRequest").cloned()
    else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(signal))) = base.properties.get("signal").cloned() {
        let names = (1..=exec::SIGNAL_MAX).map(|n| exec::signal_name(n).into());
        let one_of = OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(exec::SIGNAL_MAX)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(names.collect::<Vec<serde_json::Value>>())),
            )
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .description(signal.description)
            .build();
        base.properties
            .insert("signal".to_string(), RefOr::T(Schema::OneOf(one_of)));
    }
    let given = |name: &str, ty: SchemaType| {
        ObjectBuilder::new()
            .required(name)
            .property(name, ObjectBuilder::new().schema_type(ty))
    };
    let any_of = AnyOfBuilder::new()
        .item(given("exitCode", SchemaType::Type(Type::Integer)))
        .item(given(
            "signal",
            SchemaType::Array(vec![Type::Integer, Type::String]),
        ))
        .build();
    let combined = AllOfBuilder::new()
        .item(Schema::Object(base))
        .item(Schema::AnyOf(any_of))
        .build();
    components.schemas.insert(
        "AnalyzeRequest".to_string(),
        RefOr::T(Schema::AllOf(combined)),
    );
}

/// Codes the HTTP layer gives any operation that declares their status (`not_found` is no
/// route at all, so no operation's); the others appear in a response's examples when its
/// description names them in backticks.
const GENERIC: &[Code] = &[
    Code::MalformedJson,
    Code::InvalidType,
    Code::UnknownField,
    Code::Unauthorized,
    Code::InvalidToken,
    Code::InsufficientRole,
    Code::MethodNotAllowed,
    Code::BodyTimeout,
    Code::PayloadTooLarge,
    Code::UnsupportedMediaType,
    Code::InternalError,
];

/// The codes a problem response of `status` documents: those its description names (in
/// backticks), then the generic ones of that status.
fn codes_of(status: u16, description: &str) -> Vec<Code> {
    let of_status = |c: &Code| c.status().as_u16() == status;
    let named = Code::ALL
        .into_iter()
        .filter(|c| of_status(c) && description.contains(&format!("`{}`", c.as_str())));
    let generic = GENERIC.iter().copied().filter(|c| of_status(c));
    let mut codes: Vec<Code> = Vec::new();
    for code in named.chain(generic) {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// A problem document such as the server sends for `code`.
fn example_problem(code: Code) -> serde_json::Value {
    let (status, title) = code.status_and_title();
    let mut problem = serde_json::json!({
        "type": format!("urn:shellwise:problem:{}", code.as_str()),
        "title": title,
        "status": status.as_u16(),
        "detail": code.example_detail(),
        "code": code.as_str(),
        "requestId": "7f3c2a9e5b1d4c08",
    });
    let extra = match code {
        Code::PolicyDenied => serde_json::json!({
            "ruleId": "rm-recursive-system",
            "reason": "recursive deletion of / or a system directory"}),
        Code::ConfirmationRequired => serde_json::json!({
            "ruleId": "git-push-force",
            "reason": "a force push rewrites shared history",
            "confirmToken": "ct_9b1f0c7e2a4d6e8f0a1b2c3d4e5f6a7b", "expiresInSecs": 300,
            "approvalMode": "on-request"}),
        Code::ApprovalPending => serde_json::json!({
            "ruleId": "git-push-force",
            "reason": "a force push rewrites shared history",
            "confirmToken": "cf_4f1c9a0b2d3e5f60", "expiresInSecs": 241,
            "approverRole": "admin"}),
        Code::UnsupportedLanguage => {
            serde_json::json!({"available": ["python", "node", "bash", "sh"]})
        }
        Code::UnsupportedShell => serde_json::json!({"available": ["/bin/sh", "/bin/bash"]}),
        _ => serde_json::json!({}),
    };
    if let (Some(p), Some(e)) = (problem.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    problem
}

/// Every problem response gets one example per code it documents (Swagger UI showed the
/// `Problem` schema's one 400 example for every status), and the headers those codes send.
/// Each example is written once, in `components/examples`, and referenced: inline, the
/// same examples on every operation doubled the document.
pub(super) fn problem_examples(doc: &mut OpenApiDoc) {
    use utoipa::openapi::header::HeaderBuilder;
    let mut used: Vec<Code> = Vec::new();
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, response) in operation.responses.responses.iter_mut() {
                let (Ok(status), RefOr::T(response)) = (status.parse::<u16>(), response) else {
                    continue;
                };
                let codes = codes_of(status, &response.description);
                let Some(content) = response.content.get_mut(PROBLEM_JSON) else {
                    continue;
                };
                for code in &codes {
                    let name = code.as_str();
                    let reference =
                        utoipa::openapi::Ref::new(format!("#/components/examples/{name}"));
                    content
                        .examples
                        .insert(name.to_string(), RefOr::Ref(reference));
                    if !used.contains(code) {
                        used.push(*code);
                    }
                }
                let header = |description: &str, ty: Type| {
                    HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(ty))
                        .description(Some(description))
                        .build()
                };
                let mut headers = Vec::new();
                if status == 401 {
                    headers.push((
                        "WWW-Authenticate",
                        header("`Bearer realm=\"shellwise\"`", Type::String),
                    ));
                }
                if status == 405 {
                    headers.push((
                        "Allow",
                        header("The methods this path accepts.", Type::String),
                    ));
                }
                if codes.iter().any(|c| {
                    matches!(
                        c,
                        Code::QuotaExceeded | Code::RateLimited | Code::CapacityExceeded
                    )
                }) {
                    headers.push((
                        "Retry-After",
                        header(
                            "Seconds to wait before retrying (quota, rate and capacity problems).",
                            Type::Integer,
                        ),
                    ));
                }
                for (name, h) in headers {
                    response.headers.insert(name.to_string(), h);
                }
            }
        }
    }
    used.sort_by_key(|c| c.as_str());
    let examples: serde_json::Map<String, serde_json::Value> = used
        .into_iter()
        .map(|code| {
            let example = serde_json::json!({
                "summary": code.status_and_title().1,
                "value": example_problem(code),
            });
            (code.as_str().to_string(), example)
        })
        .collect();
    // utoipa's `Components` has no `examples` member; its extensions are written as members
    // of the same object, which is where OpenAPI puts reusable examples.
    let components = doc.components.get_or_insert_with(Default::default);
    components
        .extensions
        .get_or_insert_with(Default::default)
        .insert("examples".to_string(), examples.into());
}

/// The schema of one event of a run's stream, as OpenAPI 3.1 puts it for `text/event-stream`
/// (and as schemathesis and SSE-aware generators read it): the parsed event — `id`, `event`,
/// and `data`, a string holding the JSON of a `StreamEventData` (`contentSchema`), which a
/// client decodes into that named type.
pub(super) fn stream_frames(doc: &mut OpenApiDoc) {
    use utoipa::openapi::extensions::ExtensionsBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::{Ref, RefOr};
    let names = [
        "start", "stdout", "stderr", "exit", "analysis", "end", "error",
    ];
    let data = ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "The event's JSON: one of StreamEventData (its `event` names it).",
        ))
        .content_media_type("application/json")
        .extensions(Some(
            ExtensionsBuilder::new()
                .add(
                    "contentSchema",
                    serde_json::json!({"$ref": "#/components/schemas/StreamEventData"}),
                )
                .build(),
        ));
    let frame = ObjectBuilder::new()
        .description(Some(
            "One Server-Sent Event of a run's stream (ids `<job>:<n>`; send the last one back as \
             `Last-Event-ID` to resume after it). The stream ends after `end`.",
        ))
        .property(
            "id",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(EVENT_ID_PATTERN)),
        )
        .property(
            "event",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(names)),
        )
        .property("data", data)
        .required("data")
        .build();
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    components
        .schemas
        .insert("StreamEventFrame".into(), RefOr::T(Schema::Object(frame)));
    let data_ref = "#/components/schemas/StreamEventData";
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post].into_iter().flatten() {
            for response in op.responses.responses.values_mut() {
                let RefOr::T(response) = response else {
                    continue;
                };
                let Some(content) = response.content.get_mut("text/event-stream") else {
                    continue;
                };
                if matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location == data_ref) {
                    content.schema = Some(RefOr::Ref(Ref::from_schema_name("StreamEventFrame")));
                }
            }
        }
    }
}

/// What a `Last-Event-ID` (or `after`) looks like: `<job>:<n>`, or a bare `<n>`.
pub(super) const EVENT_ID_PATTERN: &str = "^([A-Za-z0-9_-]+:)?[0-9]{1,19}$";
