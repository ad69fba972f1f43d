from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_list import JobList
from ...models.job_status import JobStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: Union[Unset, JobStatus] = UNSET,
    before: Union[Unset, str] = UNSET,
    limit: Union[Unset, int] = UNSET,
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    json_status: Union[Unset, str] = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["before"] = before

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[JobList, Problem]]:
    if response.status_code == 200:
        response_200 = JobList.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[JobList, Problem]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: Union[Unset, JobStatus] = UNSET,
    before: Union[Unset, str] = UNSET,
    limit: Union[Unset, int] = UNSET,
) -> Response[Union[JobList, Problem]]:
    """List this token's jobs, newest first

     Jobs of the calling token (an admin sees every token's), newest first, optionally by status, a page
    at a time (`before` = the previous page's `nextBefore`). Results are left out: get a job for its
    result.

    Args:
        status (Union[Unset, JobStatus]): Where a job is in its life.
        before (Union[Unset, str]):
        limit (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[JobList, Problem]]
    """

    kwargs = _get_kwargs(
        status=status,
        before=before,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: Union[Unset, JobStatus] = UNSET,
    before: Union[Unset, str] = UNSET,
    limit: Union[Unset, int] = UNSET,
) -> Optional[Union[JobList, Problem]]:
    """List this token's jobs, newest first

     Jobs of the calling token (an admin sees every token's), newest first, optionally by status, a page
    at a time (`before` = the previous page's `nextBefore`). Results are left out: get a job for its
    result.

    Args:
        status (Union[Unset, JobStatus]): Where a job is in its life.
        before (Union[Unset, str]):
        limit (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[JobList, Problem]
    """

    return sync_detailed(
        client=client,
        status=status,
        before=before,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: Union[Unset, JobStatus] = UNSET,
    before: Union[Unset, str] = UNSET,
    limit: Union[Unset, int] = UNSET,
) -> Response[Union[JobList, Problem]]:
    """List this token's jobs, newest first

     Jobs of the calling token (an admin sees every token's), newest first, optionally by status, a page
    at a time (`before` = the previous page's `nextBefore`). Results are left out: get a job for its
    result.

    Args:
        status (Union[Unset, JobStatus]): Where a job is in its life.
        before (Union[Unset, str]):
        limit (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[JobList, Problem]]
    """

    kwargs = _get_kwargs(
        status=status,
        before=before,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: Union[Unset, JobStatus] = UNSET,
    before: Union[Unset, str] = UNSET,
    limit: Union[Unset, int] = UNSET,
) -> Optional[Union[JobList, Problem]]:
    """List this token's jobs, newest first

     Jobs of the calling token (an admin sees every token's), newest first, optionally by status, a page
    at a time (`before` = the previous page's `nextBefore`). Results are left out: get a job for its
    result.

    Args:
        status (Union[Unset, JobStatus]): Where a job is in its life.
        before (Union[Unset, str]):
        limit (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[JobList, Problem]
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            before=before,
            limit=limit,
        )
    ).parsed
