from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.search_request import SearchRequest
from ...models.search_result import SearchResult
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: SearchRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces/{id}/files/search".format(
            id=id,
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[Problem, SearchResult]]:
    if response.status_code == 200:
        response_200 = SearchResult.from_dict(response.json())

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

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[Problem, SearchResult]]:
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
    body: SearchRequest,
) -> Response[Union[Problem, SearchResult]]:
    """Search file contents (regex or literal, globs, context lines)

     ripgrep's searcher over the workspace: `.gitignore` honoured, hidden files and binary files skipped
    by default, matches in path order with line, column and context, capped by `maxMatches`. Returned
    lines are redacted. Role `files.read_role`.

    Args:
        id (str):
        body (SearchRequest): Search the workspace's files (ripgrep's searcher; `.gitignore`
            honoured, binary files
            skipped). Example: {'pattern': 'def handler', 'globs': ['*.py'], 'context': 2}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, SearchResult]]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: SearchRequest,
) -> Optional[Union[Problem, SearchResult]]:
    """Search file contents (regex or literal, globs, context lines)

     ripgrep's searcher over the workspace: `.gitignore` honoured, hidden files and binary files skipped
    by default, matches in path order with line, column and context, capped by `maxMatches`. Returned
    lines are redacted. Role `files.read_role`.

    Args:
        id (str):
        body (SearchRequest): Search the workspace's files (ripgrep's searcher; `.gitignore`
            honoured, binary files
            skipped). Example: {'pattern': 'def handler', 'globs': ['*.py'], 'context': 2}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, SearchResult]
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: SearchRequest,
) -> Response[Union[Problem, SearchResult]]:
    """Search file contents (regex or literal, globs, context lines)

     ripgrep's searcher over the workspace: `.gitignore` honoured, hidden files and binary files skipped
    by default, matches in path order with line, column and context, capped by `maxMatches`. Returned
    lines are redacted. Role `files.read_role`.

    Args:
        id (str):
        body (SearchRequest): Search the workspace's files (ripgrep's searcher; `.gitignore`
            honoured, binary files
            skipped). Example: {'pattern': 'def handler', 'globs': ['*.py'], 'context': 2}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, SearchResult]]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: SearchRequest,
) -> Optional[Union[Problem, SearchResult]]:
    """Search file contents (regex or literal, globs, context lines)

     ripgrep's searcher over the workspace: `.gitignore` honoured, hidden files and binary files skipped
    by default, matches in path order with line, column and context, capped by `maxMatches`. Returned
    lines are redacted. Role `files.read_role`.

    Args:
        id (str):
        body (SearchRequest): Search the workspace's files (ripgrep's searcher; `.gitignore`
            honoured, binary files
            skipped). Example: {'pattern': 'def handler', 'globs': ['*.py'], 'context': 2}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, SearchResult]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
