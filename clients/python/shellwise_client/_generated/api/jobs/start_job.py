from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.exec_request import ExecRequest
from ...models.job import Job
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ExecRequest,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["waitMs"] = wait_ms

    params["maxResponseChars"] = max_response_chars

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/jobs",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[Job, Problem]]:
    if response.status_code == 200:
        response_200 = Job.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = Job.from_dict(response.json())

        return response_202

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[Job, Problem]]:
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
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Response[Union[Job, Problem]]:
    """Run a command as a job: result inline if it ends within waitMs, else 202 and poll

     Same body as runCommand. Waits up to `waitMs` (below the 45 s Actions limit): a finished job comes
    back with `result` (200); one still running comes back as 202 with its `id` and `Location`: poll
    getJob with `waitMs`, or follow its events. Output is kept redacted.

    Args:
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Job, Problem]]
    """

    kwargs = _get_kwargs(
        body=body,
        wait_ms=wait_ms,
        max_response_chars=max_response_chars,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ExecRequest,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Optional[Union[Job, Problem]]:
    """Run a command as a job: result inline if it ends within waitMs, else 202 and poll

     Same body as runCommand. Waits up to `waitMs` (below the 45 s Actions limit): a finished job comes
    back with `result` (200); one still running comes back as 202 with its `id` and `Location`: poll
    getJob with `waitMs`, or follow its events. Output is kept redacted.

    Args:
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Job, Problem]
    """

    return sync_detailed(
        client=client,
        body=body,
        wait_ms=wait_ms,
        max_response_chars=max_response_chars,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ExecRequest,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Response[Union[Job, Problem]]:
    """Run a command as a job: result inline if it ends within waitMs, else 202 and poll

     Same body as runCommand. Waits up to `waitMs` (below the 45 s Actions limit): a finished job comes
    back with `result` (200); one still running comes back as 202 with its `id` and `Location`: poll
    getJob with `waitMs`, or follow its events. Output is kept redacted.

    Args:
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Job, Problem]]
    """

    kwargs = _get_kwargs(
        body=body,
        wait_ms=wait_ms,
        max_response_chars=max_response_chars,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ExecRequest,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Optional[Union[Job, Problem]]:
    """Run a command as a job: result inline if it ends within waitMs, else 202 and poll

     Same body as runCommand. Waits up to `waitMs` (below the 45 s Actions limit): a finished job comes
    back with `result` (200); one still running comes back as 202 with its `id` and `Location`: poll
    getJob with `waitMs`, or follow its events. Output is kept redacted.

    Args:
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Job, Problem]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            wait_ms=wait_ms,
            max_response_chars=max_response_chars,
        )
    ).parsed
