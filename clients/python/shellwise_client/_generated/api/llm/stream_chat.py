from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_body import ChatBody
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ChatBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/chat/stream",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Problem]:
    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ChatBody,
) -> Response[Problem]:
    """Send a conversation to an LLM provider and stream its answer as Server-Sent Events

     Same request as chatWithModel. The response is `text/event-stream` with `delta` events `{text}`, a
    final `done` `{finishReason, usage, provider, model}`, or an `error` event (a problem) if the
    provider fails mid-stream; every event has an `id:`, and a comment line is sent as heartbeat.
    Disconnecting cancels the upstream request. Not for ChatGPT Actions: use chatWithModel.

    Args:
        body (ChatBody): A chat request. Example: {'messages': [{'role': 'user', 'content': 'What
            does `set -euo pipefail` do?'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ChatBody,
) -> Optional[Problem]:
    """Send a conversation to an LLM provider and stream its answer as Server-Sent Events

     Same request as chatWithModel. The response is `text/event-stream` with `delta` events `{text}`, a
    final `done` `{finishReason, usage, provider, model}`, or an `error` event (a problem) if the
    provider fails mid-stream; every event has an `id:`, and a comment line is sent as heartbeat.
    Disconnecting cancels the upstream request. Not for ChatGPT Actions: use chatWithModel.

    Args:
        body (ChatBody): A chat request. Example: {'messages': [{'role': 'user', 'content': 'What
            does `set -euo pipefail` do?'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ChatBody,
) -> Response[Problem]:
    """Send a conversation to an LLM provider and stream its answer as Server-Sent Events

     Same request as chatWithModel. The response is `text/event-stream` with `delta` events `{text}`, a
    final `done` `{finishReason, usage, provider, model}`, or an `error` event (a problem) if the
    provider fails mid-stream; every event has an `id:`, and a comment line is sent as heartbeat.
    Disconnecting cancels the upstream request. Not for ChatGPT Actions: use chatWithModel.

    Args:
        body (ChatBody): A chat request. Example: {'messages': [{'role': 'user', 'content': 'What
            does `set -euo pipefail` do?'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ChatBody,
) -> Optional[Problem]:
    """Send a conversation to an LLM provider and stream its answer as Server-Sent Events

     Same request as chatWithModel. The response is `text/event-stream` with `delta` events `{text}`, a
    final `done` `{finishReason, usage, provider, model}`, or an `error` event (a problem) if the
    provider fails mid-stream; every event has an `id:`, and a comment line is sent as heartbeat.
    Disconnecting cancels the upstream request. Not for ChatGPT Actions: use chatWithModel.

    Args:
        body (ChatBody): A chat request. Example: {'messages': [{'role': 'user', 'content': 'What
            does `set -euo pipefail` do?'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
