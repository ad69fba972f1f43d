use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;

use crate::helpers::{parse_sse, spawn_app, wait_gone, wait_none_running, OPERATOR};

#[tokio::test]
async fn shutdown_lets_quick_work_finish_and_kills_what_remains() {
    let app = spawn_app().await;
    // A long command, streaming so we learn its pid.
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "sleep 100.016 & echo $!; sleep 100"}))
        .send()
        .await
        .unwrap();
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    let mut pids = Vec::new();
    while pids.len() < 2 {
        let chunk = body.next().await.unwrap().unwrap();
        buf.push_str(std::str::from_utf8(&chunk).unwrap());
        for e in parse_sse(&mut buf) {
            match e.event.as_str() {
                "start" => pids.push(e.data["pid"].as_u64().unwrap() as u32),
                // The grandchild's pid inside the command's namespace: found by name below.
                "stdout" => pids.push(e.data["data"].as_str().unwrap().trim().parse().unwrap()),
                _ => {}
            }
        }
    }
    // A quick command in flight when shutdown starts still completes.
    let quick = app.exec(json!({"command": "sleep 0.3; echo finished"}));
    let stop = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        app.handle.stop(true).await;
    };
    let (quick, ()) = tokio::join!(quick, stop);
    assert_eq!(quick["stdout"], "finished\n");
    tokio::time::timeout(Duration::from_secs(5), app.stopped)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        wait_gone(&pids[..1], Duration::from_secs(2)).await,
        Vec::<u32>::new()
    );
    assert_eq!(
        wait_none_running(&["sleep", "100.016"], Duration::from_secs(2)).await,
        Vec::<u32>::new()
    );
    drop(body);
}
