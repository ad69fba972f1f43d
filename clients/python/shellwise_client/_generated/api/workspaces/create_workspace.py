from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_workspace_request import CreateWorkspaceRequest
from ...models.problem import Problem
from ...models.workspace import Workspace
from ...types import Response


def _get_kwargs(
    *,
    body: CreateWorkspaceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[Problem, Workspace]]:
    if response.status_code == 200:
        response_200 = Workspace.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[Problem, Workspace]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateWorkspaceRequest,
) -> Response[Union[Problem, Workspace]]:
    r"""Create a named workspace (optional expiry, quotas, initial files, git init)

     A directory of the token's own (0700, owned by its identity). `ttlSecs` has the janitor remove it
    later; quotas default to `workspace.quota_bytes` and `workspace.quota_files` (more needs admin).
    Nothing half-made stays if an initial file fails. Operator role.

    Args:
        body (CreateWorkspaceRequest): Create a named workspace. Example: {'name': 'fix-login-
            bug', 'ttlSecs': 86400, 'gitInit': True, 'files': [{'path': 'README.md', 'content': '#
            scratch\n'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, Workspace]]
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
    body: CreateWorkspaceRequest,
) -> Optional[Union[Problem, Workspace]]:
    r"""Create a named workspace (optional expiry, quotas, initial files, git init)

     A directory of the token's own (0700, owned by its identity). `ttlSecs` has the janitor remove it
    later; quotas default to `workspace.quota_bytes` and `workspace.quota_files` (more needs admin).
    Nothing half-made stays if an initial file fails. Operator role.

    Args:
        body (CreateWorkspaceRequest): Create a named workspace. Example: {'name': 'fix-login-
            bug', 'ttlSecs': 86400, 'gitInit': True, 'files': [{'path': 'README.md', 'content': '#
            scratch\n'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, Workspace]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateWorkspaceRequest,
) -> Response[Union[Problem, Workspace]]:
    r"""Create a named workspace (optional expiry, quotas, initial files, git init)

     A directory of the token's own (0700, owned by its identity). `ttlSecs` has the janitor remove it
    later; quotas default to `workspace.quota_bytes` and `workspace.quota_files` (more needs admin).
    Nothing half-made stays if an initial file fails. Operator role.

    Args:
        body (CreateWorkspaceRequest): Create a named workspace. Example: {'name': 'fix-login-
            bug', 'ttlSecs': 86400, 'gitInit': True, 'files': [{'path': 'README.md', 'content': '#
            scratch\n'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, Workspace]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateWorkspaceRequest,
) -> Optional[Union[Problem, Workspace]]:
    r"""Create a named workspace (optional expiry, quotas, initial files, git init)

     A directory of the token's own (0700, owned by its identity). `ttlSecs` has the janitor remove it
    later; quotas default to `workspace.quota_bytes` and `workspace.quota_files` (more needs admin).
    Nothing half-made stays if an initial file fails. Operator role.

    Args:
        body (CreateWorkspaceRequest): Create a named workspace. Example: {'name': 'fix-login-
            bug', 'ttlSecs': 86400, 'gitInit': True, 'files': [{'path': 'README.md', 'content': '#
            scratch\n'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, Workspace]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
