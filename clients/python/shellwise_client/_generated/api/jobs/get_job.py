from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job import Job
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    params["waitMs"] = wait_ms

    params["maxResponseChars"] = max_response_chars

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs/{id}".format(
            id=id,
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[Job, Problem]]:
    if response.status_code == 200:
        response_200 = Job.from_dict(response.json())

        return response_200

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
    id: str,
    *,
    client: AuthenticatedClient,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Response[Union[Job, Problem]]:
    """Get a job's status, and its result once finished (long-poll with waitMs)

     Status (`queued`, `running`, `succeeded`, `failed`, `cancelled`, `lost`), stored output sizes, the
    last event id, and `result` (as runCommand returns it, with `aiAnalysis` on failure) once it
    finished. With `waitMs`, answers as soon as it finishes or when the wait ends.

    Args:
        id (str):
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Job, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        wait_ms=wait_ms,
        max_response_chars=max_response_chars,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Optional[Union[Job, Problem]]:
    """Get a job's status, and its result once finished (long-poll with waitMs)

     Status (`queued`, `running`, `succeeded`, `failed`, `cancelled`, `lost`), stored output sizes, the
    last event id, and `result` (as runCommand returns it, with `aiAnalysis` on failure) once it
    finished. With `waitMs`, answers as soon as it finishes or when the wait ends.

    Args:
        id (str):
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Job, Problem]
    """

    return sync_detailed(
        id=id,
        client=client,
        wait_ms=wait_ms,
        max_response_chars=max_response_chars,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Response[Union[Job, Problem]]:
    """Get a job's status, and its result once finished (long-poll with waitMs)

     Status (`queued`, `running`, `succeeded`, `failed`, `cancelled`, `lost`), stored output sizes, the
    last event id, and `result` (as runCommand returns it, with `aiAnalysis` on failure) once it
    finished. With `waitMs`, answers as soon as it finishes or when the wait ends.

    Args:
        id (str):
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Job, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        wait_ms=wait_ms,
        max_response_chars=max_response_chars,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    wait_ms: Union[Unset, int] = UNSET,
    max_response_chars: Union[Unset, int] = UNSET,
) -> Optional[Union[Job, Problem]]:
    """Get a job's status, and its result once finished (long-poll with waitMs)

     Status (`queued`, `running`, `succeeded`, `failed`, `cancelled`, `lost`), stored output sizes, the
    last event id, and `result` (as runCommand returns it, with `aiAnalysis` on failure) once it
    finished. With `waitMs`, answers as soon as it finishes or when the wait ends.

    Args:
        id (str):
        wait_ms (Union[Unset, int]):
        max_response_chars (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Job, Problem]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            wait_ms=wait_ms,
            max_response_chars=max_response_chars,
        )
    ).parsed
