//! The OpenAPI document: committed, complete, and usable by ChatGPT Actions and SDK generators.

use serde_json::Value;

fn spec() -> Value {
    serde_json::from_str(&shellwise::api::openapi_json()).unwrap()
}

#[test]
fn the_committed_spec_matches_the_code() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("openapi/openapi.json is committed");
    let generated = shellwise::api::openapi_json();
    assert!(
        committed == generated,
        "openapi/openapi.json drifted from the code: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn the_binary_prints_the_same_spec() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shellwise"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        shellwise::api::openapi_json()
    );
}

const KEYWORDS: &[&str] = &[
    "exec", "eval", "import", "class", "def", "delete", "function", "new", "return", "default",
    "switch", "async", "await", "yield", "with", "from", "global", "lambda", "pass", "raise",
    "try", "type",
];

#[test]
fn every_operation_is_documented_for_actions_and_generators() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    let mut ids = Vec::new();
    let mut count = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(
                id.chars().next().unwrap().is_ascii_lowercase() && !id.contains('_'),
                "{id} is not camelCase"
            );
            assert!(
                !KEYWORDS.contains(&id),
                "{id} is a keyword in a client language"
            );
            ids.push(id.to_string());
            let summary = op["summary"].as_str().unwrap_or_default();
            assert!(!summary.is_empty() && summary.len() <= 300, "{id} summary");
            let description = op["description"].as_str().unwrap_or_default();
            assert!(
                !description.is_empty() && description.len() <= 300 * 4,
                "{id} description"
            );
            assert!(op["security"].is_array(), "{id} declares its security");
            assert!(
                op["x-openai-isConsequential"].is_boolean(),
                "{id} sets x-openai-isConsequential"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{id}");
            let secured = op["security"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s.as_object().is_some_and(|o| !o.is_empty()));
            if secured {
                assert!(
                    responses.contains_key("401") && responses.contains_key("403"),
                    "{id} lists auth errors"
                );
            }
            let has_example = |content: &Value| {
                content.as_object().is_some_and(|c| {
                    c.values().any(|m| {
                        m.get("example").is_some()
                            || m.get("examples").is_some()
                            || m["schema"].get("example").is_some()
                            || m["schema"]["$ref"].is_string()
                    })
                })
            };
            assert!(
                has_example(&responses["200"]["content"]),
                "{id} 200 has an example"
            );
            if let Some(body) = op
                .get("requestBody")
                .filter(|b| b["content"].get("application/octet-stream").is_none())
            {
                assert!(
                    body["content"]["application/json"]["examples"].is_object(),
                    "{id} request examples"
                );
            }
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    if let Some(content) = response.get("content") {
                        assert!(
                            content.get("application/problem+json").is_some()
                                || id == "getReadiness",
                            "{id} {status} is problem+json"
                        );
                    }
                }
            }
        }
    }
    // ChatGPT Actions allow at most 30 operations: the Actions document (a subset: JSON in
    // and out, no streams) is held to that in `the_actions_document_is_public_json_only…`;
    // the full document serves generators, which have no such bound.
    assert!(count <= 40, "{count} operations: keep the API small");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "operationIds are unique");
}

#[test]
fn streaming_responses_are_declared_as_event_streams_only() {
    let spec = spec();
    for path in ["/v1/exec/stream", "/v1/chat/stream"] {
        let ok = &spec["paths"][path]["post"]["responses"]["200"]["content"];
        let types: Vec<&String> = ok.as_object().unwrap().keys().collect();
        assert_eq!(types, vec!["text/event-stream"], "{path}");
    }
}

#[tokio::test]
async fn the_actions_document_is_public_json_only_and_names_the_server() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.server.public_url = "https://shell.example.test".into()
    })
    .await;
    let res = app
        .client
        .get(app.url("/openapi-actions.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "public, like /openapi.json");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["servers"],
        serde_json::json!([{"url": "https://shell.example.test"}])
    );
    let text = doc.to_string();
    assert!(!text.contains("text/event-stream"), "Actions cannot stream");
    let ops: Vec<&Value> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|i| i.as_object().unwrap().values())
        .collect();
    assert!(!ops.is_empty() && ops.len() <= 30);
    assert!(ops
        .iter()
        .all(|op| op["x-openai-isConsequential"].is_boolean()));
    let full = spec();
    // Everything that takes and answers JSON is there; event streams, metrics text and raw
    // file bytes (either way) are not.
    let json_only: Vec<&str> = full["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|i| i.as_object().unwrap().values())
        .filter(|op| {
            let json_in = op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
                .all(|(media, _)| media.ends_with("json"));
            json_in
                && op["responses"].as_object().unwrap().values().all(|r| {
                    r["content"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .all(|(media, _)| media.ends_with("json"))
                })
        })
        .map(|op| op["operationId"].as_str().unwrap())
        .collect();
    let names: Vec<&str> = ops
        .iter()
        .map(|op| op["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(names, json_only);
    assert_eq!(json_only.len(), 30, "{json_only:?}");
    for raw in ["downloadFile", "uploadFile", "downloadArchive"] {
        assert!(
            !names.contains(&raw),
            "{raw} moves raw bytes, which Actions cannot"
        );
    }
}

/// Every schema in the document, with a path for messages.
fn walk<'a>(at: String, v: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(map) => {
            out.push((at.clone(), v));
            for (k, child) in map {
                walk(format!("{at}/{k}"), child, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(format!("{at}/{i}"), child, out);
            }
        }
        _ => {}
    }
}

fn is_integer(schema: &Value) -> bool {
    schema["type"] == "integer"
        || schema["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "integer"))
}

#[test]
fn integers_use_the_standard_formats_and_unsigned_ones_say_minimum_0() {
    let spec = spec();
    let mut schemas = Vec::new();
    walk(String::new(), &spec, &mut schemas);
    let integers: Vec<_> = schemas.iter().filter(|(_, s)| is_integer(s)).collect();
    assert!(integers.len() > 20, "the document has integers");
    for (at, schema) in integers {
        let format = schema["format"].as_str();
        assert!(
            matches!(format, None | Some("int32") | Some("int64")),
            "{at}: format {format:?} is not an OpenAPI format"
        );
        if format == Some("int32") {
            let max = schema["maximum"].as_f64().unwrap_or(0.0);
            assert!(max <= f64::from(i32::MAX), "{at}: {max} does not fit int32");
        }
    }
    let exec = &spec["components"]["schemas"]["ExecRequest"]["allOf"][0]["properties"];
    assert_eq!(
        exec["timeoutMs"]["type"],
        serde_json::json!(["integer", "null"]),
        "integers that also accept 670.0 are documented as integers"
    );
    assert_eq!(exec["timeoutMs"]["format"], "int64");
    assert_eq!(exec["timeoutMs"]["minimum"], 1);
    let chat = &spec["components"]["schemas"]["ChatBody"]["properties"]["maxTokens"];
    assert_eq!(
        (&chat["format"], &chat["minimum"], &chat["maximum"]),
        (
            &Value::from("int64"),
            &Value::from(0),
            &Value::from(u32::MAX)
        ),
        "a u32 does not fit int32"
    );
    let result = &spec["components"]["schemas"]["ExecResult"]["properties"];
    assert_eq!(result["durationMs"]["format"], "int64");
    assert_eq!(result["durationMs"]["minimum"], 0);
}

/// openapi-python-client turns a schema into a class and its properties into attributes:
/// an attribute named like its class (`Decision.decision: Decision`) fails `mypy --strict`.
#[test]
fn no_schema_has_a_property_named_like_itself() {
    let spec = spec();
    let snake = |s: &str| {
        s.chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                sep.into_iter().chain(c.to_lowercase())
            })
            .collect::<String>()
    };
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for (name, schema) in schemas {
        let mut all = Vec::new();
        walk(String::new(), schema, &mut all);
        for (_, s) in all {
            for property in s["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|p| p.0)
            {
                assert_ne!(
                    snake(property),
                    snake(name),
                    "{name}.{property} shadows its own class"
                );
            }
        }
    }
    assert!(schemas.contains_key("PolicyDecision"));
}

/// Whether `body` satisfies one `ExecRequest` branch: its required members present, and each
/// member it names of the type it says (`null` = must be null if present).
fn satisfies(branch: &Value, body: &Value) -> bool {
    let required = branch["required"].as_array().unwrap();
    let present = |k: &Value| body.get(k.as_str().unwrap()).is_some();
    required.iter().all(present)
        && branch["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .all(
                |(name, schema)| match (body.get(name), schema["type"].as_str()) {
                    (None, _) => true,
                    (Some(v), Some("null")) => v.is_null(),
                    (Some(v), Some("string")) => v.is_string(),
                    (Some(v), Some("array")) => v.is_array(),
                    (Some(_), other) => panic!("unexpected branch type {other:?}"),
                },
            )
}

#[tokio::test]
async fn exec_request_branches_exclude_each_other_and_agree_with_the_server() {
    use serde_json::json;
    let spec = spec();
    let exec = &spec["components"]["schemas"]["ExecRequest"];
    let branches = exec["allOf"][1]["oneOf"].as_array().unwrap();
    let app = crate::helpers::spawn_app().await;
    let cases = [
        (json!({"command": "true"}), true),
        (
            json!({"command": "true", "argv": null, "code": null, "language": null, "shell": null}),
            true,
        ),
        (
            json!({"argv": ["true"], "command": null, "shell": null}),
            true,
        ),
        (json!({"argv": ["printf", "%s", ""]}), true),
        (
            json!({"code": "true", "language": "sh", "argv": null}),
            true,
        ),
        (json!({"command": "true", "shell": "sh"}), true),
        (json!({"command": "true", "argv": ["true"]}), false),
        (
            json!({"code": "true", "language": "sh", "argv": ["true"]}),
            false,
        ),
        (json!({"argv": ["true"], "shell": "/bin/sh"}), false),
        (
            json!({"code": "true", "language": "sh", "shell": "/bin/sh"}),
            false,
        ),
        (json!({"command": "true", "language": "sh"}), false),
        (json!({"command": null}), false),
        (json!({"code": "true"}), false),
        (json!({"code": "true", "language": null}), false),
        (json!({}), false),
    ];
    for (body, accepted) in cases {
        let matching = branches.iter().filter(|b| satisfies(b, &body)).count();
        assert_eq!(matching, usize::from(accepted), "branches matching {body}");
        let (status, answer) = app.post("/v1/exec", crate::helpers::OPERATOR, &body).await;
        let want = if accepted { 200 } else { 400 };
        assert_eq!(status, want, "{body}: {answer}");
        if !accepted {
            assert_eq!(answer["code"], "invalid_request", "{body}");
        }
    }
    let properties = &exec["allOf"][0]["properties"];
    assert_eq!(
        properties["argv"]["prefixItems"],
        json!([{"type": "string", "minLength": 1, "pattern": "^[^\\u0000]*$"}]),
        "the program must be named; later arguments may be empty"
    );
    assert_eq!(
        properties["env"]["propertyNames"],
        json!({"type": "string", "pattern": shellwise::exec::env::NAME_PATTERN})
    );
    let (status, answer) = app
        .post(
            "/v1/exec",
            crate::helpers::OPERATOR,
            &json!({"argv": ["", "x"]}),
        )
        .await;
    assert_eq!((status, &answer["code"]), (400, &json!("invalid_request")));
    assert_eq!(answer["detail"], "`argv[0]` (the program) is empty");
}

#[test]
fn every_problem_response_shows_examples_of_its_own_status_with_real_codes() {
    use shellwise::error::Code;
    let spec = spec();
    let mut seen = std::collections::BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            for (status, response) in op["responses"].as_object().unwrap() {
                let Some(content) = response["content"].get("application/problem+json") else {
                    continue;
                };
                let status: u16 = status.parse().unwrap();
                let examples = content["examples"].as_object();
                assert!(
                    examples.is_some_and(|e| !e.is_empty()),
                    "{method} {path} {status} has no example"
                );
                for (name, reference) in examples.into_iter().flatten() {
                    let pointer = reference["$ref"].as_str().unwrap().trim_start_matches('#');
                    let value = &spec.pointer(pointer).unwrap()["value"];
                    let code = Code::ALL
                        .into_iter()
                        .find(|c| c.as_str() == name)
                        .unwrap_or_else(|| panic!("{id} {status}: `{name}` is no code"));
                    assert_eq!(code.status().as_u16(), status, "{id}: {name}");
                    assert_eq!(value["code"], *name, "{id} {status}");
                    assert_eq!(value["status"], status, "{id} {name}");
                    assert_eq!(value["type"], format!("urn:shellwise:problem:{name}"));
                    assert_eq!(value["title"], code.status_and_title().1);
                    assert!(!value["detail"].as_str().unwrap().is_empty());
                    seen.insert(status);
                }
                let retry = response["headers"].get("Retry-After").is_some();
                let waits = ["quota_exceeded", "rate_limited", "capacity_exceeded"]
                    .iter()
                    .any(|c| content["examples"].get(*c).is_some());
                assert_eq!(retry, waits, "{id} {status} Retry-After");
            }
        }
    }
    let want = [
        400, 401, 403, 405, 409, 412, 413, 415, 422, 429, 500, 502, 503, 504, 404, 507,
    ];
    assert_eq!(seen, want.into_iter().collect(), "statuses with examples");
    let exec = &spec["paths"]["/v1/exec"]["post"]["responses"];
    let names = |status: &str| -> Vec<String> {
        let examples = exec[status]["content"]["application/problem+json"]["examples"]
            .as_object()
            .unwrap();
        examples.keys().cloned().collect()
    };
    assert_eq!(
        names("403"),
        [
            "approval_rejected",
            "cwd_outside_workspace",
            "feature_disabled",
            "insufficient_role",
            "invalid_token",
            "limit_not_allowed",
            "network_not_allowed",
            "policy_denied"
        ]
    );
    assert_eq!(names("409"), ["approval_pending", "confirmation_required"]);
    assert_eq!(names("429"), ["quota_exceeded", "rate_limited"]);
    let confirm = &spec["components"]["examples"]["confirmation_required"]["value"];
    assert!(confirm["confirmToken"].is_string() && confirm["expiresInSecs"].is_number());
}

#[tokio::test]
async fn swagger_ui_loads_the_served_document_which_hides_switched_off_features() {
    let app = crate::helpers::spawn_app_with(|s| s.features.chat = false).await;
    let init = app
        .client
        .get(app.url("/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains("\"/openapi.json\""), "{init}");
    let (status, doc) = app.get_public("/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["paths"].get("/v1/exec").is_some());
    assert!(
        doc["paths"].get("/v1/chat").is_none(),
        "chat is switched off"
    );
    let head = app
        .client
        .head(app.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
}
