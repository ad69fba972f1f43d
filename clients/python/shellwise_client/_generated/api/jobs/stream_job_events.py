from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    after: Union[Unset, str] = UNSET,
    last_event_id: Union[Unset, str] = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    params: dict[str, Any] = {}

    params["after"] = after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs/{id}/events".format(
            id=id,
        ),
        "params": params,
    }

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
    id: str,
    *,
    client: AuthenticatedClient,
    after: Union[Unset, str] = UNSET,
    last_event_id: Union[Unset, str] = UNSET,
) -> Response[Problem]:
    """Replay a job's events, then follow it live (Server-Sent Events)

     The same events streamCommand sends (`start`, `stdout`, `stderr`, `exit`, `analysis`), each with
    `id: <job>:<n>`, ending with `end` `{id, status}`. From the start, or after `Last-Event-ID` (an id
    past the end gives only `end`). Hanging up does not stop the job.

    Args:
        id (str):
        after (Union[Unset, str]):
        last_event_id (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        after=after,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    after: Union[Unset, str] = UNSET,
    last_event_id: Union[Unset, str] = UNSET,
) -> Optional[Problem]:
    """Replay a job's events, then follow it live (Server-Sent Events)

     The same events streamCommand sends (`start`, `stdout`, `stderr`, `exit`, `analysis`), each with
    `id: <job>:<n>`, ending with `end` `{id, status}`. From the start, or after `Last-Event-ID` (an id
    past the end gives only `end`). Hanging up does not stop the job.

    Args:
        id (str):
        after (Union[Unset, str]):
        last_event_id (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        after=after,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    after: Union[Unset, str] = UNSET,
    last_event_id: Union[Unset, str] = UNSET,
) -> Response[Problem]:
    """Replay a job's events, then follow it live (Server-Sent Events)

     The same events streamCommand sends (`start`, `stdout`, `stderr`, `exit`, `analysis`), each with
    `id: <job>:<n>`, ending with `end` `{id, status}`. From the start, or after `Last-Event-ID` (an id
    past the end gives only `end`). Hanging up does not stop the job.

    Args:
        id (str):
        after (Union[Unset, str]):
        last_event_id (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        after=after,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    after: Union[Unset, str] = UNSET,
    last_event_id: Union[Unset, str] = UNSET,
) -> Optional[Problem]:
    """Replay a job's events, then follow it live (Server-Sent Events)

     The same events streamCommand sends (`start`, `stdout`, `stderr`, `exit`, `analysis`), each with
    `id: <job>:<n>`, ending with `end` `{id, status}`. From the start, or after `Last-Event-ID` (an id
    past the end gives only `end`). Hanging up does not stop the job.

    Args:
        id (str):
        after (Union[Unset, str]):
        last_event_id (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            after=after,
            last_event_id=last_event_id,
        )
    ).parsed
