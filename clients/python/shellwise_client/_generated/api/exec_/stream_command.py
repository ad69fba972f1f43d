from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.exec_request import ExecRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ExecRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/exec/stream",
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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

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
    body: ExecRequest,
) -> Response[Problem]:
    """Run a command and stream its output live as Server-Sent Events

     Same request as runCommand; the run is a job. Events: `start`, `stdout`, `stderr`, `exit`,
    `analysis`, then `end` (schemas: StreamEvent*). Ids are `<job>:<n>`: reconnect with `Last-Event-ID`
    (here or to streamJobEvents) to resume, never re-run. Hanging up kills the command.

    Args:
        body (ExecRequest):

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
    body: ExecRequest,
) -> Optional[Problem]:
    """Run a command and stream its output live as Server-Sent Events

     Same request as runCommand; the run is a job. Events: `start`, `stdout`, `stderr`, `exit`,
    `analysis`, then `end` (schemas: StreamEvent*). Ids are `<job>:<n>`: reconnect with `Last-Event-ID`
    (here or to streamJobEvents) to resume, never re-run. Hanging up kills the command.

    Args:
        body (ExecRequest):

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
    body: ExecRequest,
) -> Response[Problem]:
    """Run a command and stream its output live as Server-Sent Events

     Same request as runCommand; the run is a job. Events: `start`, `stdout`, `stderr`, `exit`,
    `analysis`, then `end` (schemas: StreamEvent*). Ids are `<job>:<n>`: reconnect with `Last-Event-ID`
    (here or to streamJobEvents) to resume, never re-run. Hanging up kills the command.

    Args:
        body (ExecRequest):

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
    body: ExecRequest,
) -> Optional[Problem]:
    """Run a command and stream its output live as Server-Sent Events

     Same request as runCommand; the run is a job. Events: `start`, `stdout`, `stderr`, `exit`,
    `analysis`, then `end` (schemas: StreamEvent*). Ids are `<job>:<n>`: reconnect with `Last-Event-ID`
    (here or to streamJobEvents) to resume, never re-run. Hanging up kills the command.

    Args:
        body (ExecRequest):

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
