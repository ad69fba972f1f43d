from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.patch_request import PatchRequest
from ...models.patch_result import PatchResult
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: PatchRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces/{id}/files/patch".format(
            id=id,
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[PatchResult, Problem]]:
    if response.status_code == 200:
        response_200 = PatchResult.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[PatchResult, Problem]]:
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
    body: PatchRequest,
) -> Response[Union[PatchResult, Problem]]:
    r"""Apply a unified diff or an apply-patch envelope: all files or none

     `git diff` / `diff -u` output or the `*** Begin Patch` envelope. Hunks go where their header says,
    else the nearest match (`offsets`, `fuzzy`). If any hunk fails, nothing changes and the 409 lists
    each conflict with what the file has there. `dryRun` only checks. Operator role.

    Args:
        id (str):
        body (PatchRequest): Apply a patch: every file changes, or none does. Example: {'patch':
            '--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+
            return 200\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[PatchResult, Problem]]
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
    body: PatchRequest,
) -> Optional[Union[PatchResult, Problem]]:
    r"""Apply a unified diff or an apply-patch envelope: all files or none

     `git diff` / `diff -u` output or the `*** Begin Patch` envelope. Hunks go where their header says,
    else the nearest match (`offsets`, `fuzzy`). If any hunk fails, nothing changes and the 409 lists
    each conflict with what the file has there. `dryRun` only checks. Operator role.

    Args:
        id (str):
        body (PatchRequest): Apply a patch: every file changes, or none does. Example: {'patch':
            '--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+
            return 200\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[PatchResult, Problem]
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
    body: PatchRequest,
) -> Response[Union[PatchResult, Problem]]:
    r"""Apply a unified diff or an apply-patch envelope: all files or none

     `git diff` / `diff -u` output or the `*** Begin Patch` envelope. Hunks go where their header says,
    else the nearest match (`offsets`, `fuzzy`). If any hunk fails, nothing changes and the 409 lists
    each conflict with what the file has there. `dryRun` only checks. Operator role.

    Args:
        id (str):
        body (PatchRequest): Apply a patch: every file changes, or none does. Example: {'patch':
            '--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+
            return 200\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[PatchResult, Problem]]
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
    body: PatchRequest,
) -> Optional[Union[PatchResult, Problem]]:
    r"""Apply a unified diff or an apply-patch envelope: all files or none

     `git diff` / `diff -u` output or the `*** Begin Patch` envelope. Hunks go where their header says,
    else the nearest match (`offsets`, `fuzzy`). If any hunk fails, nothing changes and the 409 lists
    each conflict with what the file has there. `dryRun` only checks. Operator role.

    Args:
        id (str):
        body (PatchRequest): Apply a patch: every file changes, or none does. Example: {'patch':
            '--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+
            return 200\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[PatchResult, Problem]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
