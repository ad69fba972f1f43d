use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};

use crate::helpers::{parse_sse, spawn_app, wait_gone, wait_none_running, Sse, OPERATOR};

async fn stream_all(
    app: &crate::helpers::TestApp,
    body: Value,
) -> (reqwest::header::HeaderMap, Vec<Sse>) {
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let mut buf = text;
    (headers, parse_sse(&mut buf))
}

#[tokio::test]
async fn a_stream_sends_start_output_and_exit_with_ids() {
    let app = spawn_app().await;
    let (headers, events) = stream_all(
        &app,
        json!({"command": "echo one; echo two >&2; exit 4", "analyze": "never"}),
    )
    .await;
    assert_eq!(headers["content-type"], "text/event-stream");
    assert_eq!(headers["x-accel-buffering"], "no");
    let names: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names.first(), Some(&"start"));
    assert_eq!(names[names.len() - 2..], ["exit", "end"]);
    // Every event names the job it belongs to and its place in it.
    let job = events[0].data["jobId"].as_str().unwrap().to_string();
    assert_eq!(events[0].data["id"], job.as_str());
    let ids: Vec<String> = events.iter().map(|e| e.id.clone().unwrap()).collect();
    let expected: Vec<String> = (0..events.len()).map(|i| format!("{job}:{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(
        events.last().unwrap().data,
        json!({"event": "end", "id": job, "status": "failed"})
    );
    let stdout: String = events
        .iter()
        .filter(|e| e.event == "stdout")
        .map(|e| e.data["data"].as_str().unwrap())
        .collect();
    let stderr: String = events
        .iter()
        .filter(|e| e.event == "stderr")
        .map(|e| e.data["data"].as_str().unwrap())
        .collect();
    assert_eq!(stdout, "one\n");
    assert_eq!(stderr, "two\n");
    let exit = &events[events.len() - 2].data;
    assert_eq!(exit["exitCode"], 4);
    assert_eq!(exit["stdoutBytes"], 4);
    assert_eq!(exit["id"], events[0].data["id"]);
    assert!(events[0].data["pid"].as_u64().unwrap() > 1);
}

#[tokio::test]
async fn streamed_text_equals_buffered_text_even_with_split_characters() {
    let app = spawn_app().await;
    // Multi-byte characters written one byte at a time, plus invalid bytes.
    let cmd =
        r"for b in '\342' '\202' '\254' 'A' '\377' '\303' '\251'; do printf $b; sleep 0.02; done";
    let buffered = app.exec(json!({"command": cmd})).await;
    let (_, events) = stream_all(&app, json!({"command": cmd})).await;
    let streamed: String = events
        .iter()
        .filter(|e| e.event == "stdout")
        .map(|e| e.data["data"].as_str().unwrap())
        .collect();
    assert_eq!(streamed, buffered["stdout"].as_str().unwrap());
    assert_eq!(streamed, "€A\u{FFFD}é");
}

#[tokio::test]
async fn output_arrives_while_the_command_still_runs() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "echo first; sleep 2; echo second"}))
        .send()
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    let mut first_at = None;
    while let Some(chunk) = body.next().await {
        buf.push_str(std::str::from_utf8(&chunk.unwrap()).unwrap());
        for e in parse_sse(&mut buf) {
            if e.event == "stdout" && e.data["data"] == "first\n" {
                first_at = Some(started.elapsed());
            }
        }
        if first_at.is_some() {
            break;
        }
    }
    let first_at = first_at.expect("first line streamed");
    assert!(
        first_at < Duration::from_millis(1500),
        "first line after {first_at:?}"
    );
}

#[tokio::test]
async fn a_disconnecting_client_gets_its_process_group_killed_within_a_second() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "sleep 100.119 & echo $!; sleep 100"}))
        .send()
        .await
        .unwrap();
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    let (mut leader, mut grandchild) = (None, None);
    while grandchild.is_none() {
        let chunk = body.next().await.expect("stream open").unwrap();
        buf.push_str(std::str::from_utf8(&chunk).unwrap());
        for e in parse_sse(&mut buf) {
            match e.event.as_str() {
                "start" => leader = e.data["pid"].as_u64().map(|p| p as u32),
                "stdout" => grandchild = e.data["data"].as_str().unwrap().trim().parse().ok(),
                _ => {}
            }
        }
    }
    // The leader's pid is the host's; the grandchild is found by its command line.
    let (leader, _in_namespace): (u32, u32) = (leader.unwrap(), grandchild.unwrap());
    assert!(crate::helpers::alive(leader));
    // Forked before it printed, but maybe not yet exec'd as `sleep`.
    crate::helpers::wait_running(&["sleep", "100.119"], 1).await;
    drop(body);
    assert_eq!(
        wait_gone(&[leader], Duration::from_secs(1)).await,
        Vec::<u32>::new()
    );
    assert_eq!(
        wait_none_running(&["sleep", "100.119"], Duration::from_secs(1)).await,
        Vec::<u32>::new()
    );
    // The supervisor unregisters the group right after reaping it.
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    while app.service.engine().running() != 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(app.service.engine().running(), 0);
}

#[tokio::test]
async fn a_quiet_stream_sends_heartbeat_comments() {
    let app = crate::helpers::spawn_app_with(|s| s.server.sse_heartbeat_ms = 200).await;
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "sleep 0.7"}))
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert!(text.matches(": heartbeat\n\n").count() >= 2, "{text}");
}

#[tokio::test]
async fn bad_input_to_the_stream_is_a_problem_not_a_stream() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"language": "python"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

/// The `event` field of every payload is what the document's schema for that event allows
/// (a generator builds its event parsers from those enums).
#[tokio::test]
async fn every_event_payload_names_its_event_as_the_document_declares_it() {
    let spec: Value = serde_json::from_str(&shellwise::api::openapi_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    let branches = schemas["StreamEventData"]["oneOf"].as_array().unwrap();
    let mut declared: Vec<(String, Vec<String>)> = Vec::new();
    for b in branches {
        let name = b["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
        // Flattened payloads declare `event` in one of their `allOf` parts.
        let schema = &schemas[name];
        let parts = std::iter::once(schema).chain(schema["allOf"].as_array().into_iter().flatten());
        let tag = parts
            .map(|p| &p["properties"]["event"])
            .find(|t| !t.is_null())
            .unwrap_or_else(|| panic!("{name} declares no `event`"));
        // The tag is an inline enum or a reference to a one-value enum schema.
        let tag = match tag["$ref"].as_str() {
            Some(r) => &schemas[r.rsplit('/').next().unwrap()],
            None => tag,
        };
        let values = tag["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: event is not an enum: {tag}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        declared.push((name.to_string(), values));
    }
    let app = spawn_app().await;
    let (_, events) = stream_all(
        &app,
        json!({"command": "echo out; echo 'sh: 1: nosuch: not found' >&2; exit 127"}),
    )
    .await;
    let names: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        names,
        ["start", "stdout", "stderr", "exit", "analysis", "end"]
    );
    for e in &events {
        let wire = e.data["event"].as_str().unwrap();
        assert_eq!(wire, e.event, "{e:?}");
        assert!(
            declared
                .iter()
                .any(|(_, values)| values.iter().any(|v| v == wire)),
            "`{wire}` is in no event schema's enum: {declared:?}"
        );
    }
}
