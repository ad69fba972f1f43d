from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.file_list import FileList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    path: Union[Unset, str] = UNSET,
    depth: Union[Unset, int] = UNSET,
    glob: Union[Unset, str] = UNSET,
    gitignore: Union[Unset, bool] = UNSET,
    hidden: Union[Unset, bool] = UNSET,
    limit: Union[Unset, int] = UNSET,
    cursor: Union[Unset, str] = UNSET,
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    params["path"] = path

    params["depth"] = depth

    params["glob"] = glob

    params["gitignore"] = gitignore

    params["hidden"] = hidden

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/workspaces/{id}/files/list".format(
            id=id,
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[FileList, Problem]]:
    if response.status_code == 200:
        response_200 = FileList.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[FileList, Problem]]:
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
    path: Union[Unset, str] = UNSET,
    depth: Union[Unset, int] = UNSET,
    glob: Union[Unset, str] = UNSET,
    gitignore: Union[Unset, bool] = UNSET,
    hidden: Union[Unset, bool] = UNSET,
    limit: Union[Unset, int] = UNSET,
    cursor: Union[Unset, str] = UNSET,
) -> Response[Union[FileList, Problem]]:
    """List a directory (depth, glob, .gitignore aware, paged)

     Entries in path order, depth first; `nextCursor` continues a long listing. `.gitignore` files and
    `.git` are honoured unless `gitignore=false`. Symlinks are listed, not followed. Role
    `files.read_role`.

    Args:
        id (str):
        path (Union[Unset, str]):
        depth (Union[Unset, int]):
        glob (Union[Unset, str]):
        gitignore (Union[Unset, bool]):
        hidden (Union[Unset, bool]):
        limit (Union[Unset, int]):
        cursor (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[FileList, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        path=path,
        depth=depth,
        glob=glob,
        gitignore=gitignore,
        hidden=hidden,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    path: Union[Unset, str] = UNSET,
    depth: Union[Unset, int] = UNSET,
    glob: Union[Unset, str] = UNSET,
    gitignore: Union[Unset, bool] = UNSET,
    hidden: Union[Unset, bool] = UNSET,
    limit: Union[Unset, int] = UNSET,
    cursor: Union[Unset, str] = UNSET,
) -> Optional[Union[FileList, Problem]]:
    """List a directory (depth, glob, .gitignore aware, paged)

     Entries in path order, depth first; `nextCursor` continues a long listing. `.gitignore` files and
    `.git` are honoured unless `gitignore=false`. Symlinks are listed, not followed. Role
    `files.read_role`.

    Args:
        id (str):
        path (Union[Unset, str]):
        depth (Union[Unset, int]):
        glob (Union[Unset, str]):
        gitignore (Union[Unset, bool]):
        hidden (Union[Unset, bool]):
        limit (Union[Unset, int]):
        cursor (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[FileList, Problem]
    """

    return sync_detailed(
        id=id,
        client=client,
        path=path,
        depth=depth,
        glob=glob,
        gitignore=gitignore,
        hidden=hidden,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    path: Union[Unset, str] = UNSET,
    depth: Union[Unset, int] = UNSET,
    glob: Union[Unset, str] = UNSET,
    gitignore: Union[Unset, bool] = UNSET,
    hidden: Union[Unset, bool] = UNSET,
    limit: Union[Unset, int] = UNSET,
    cursor: Union[Unset, str] = UNSET,
) -> Response[Union[FileList, Problem]]:
    """List a directory (depth, glob, .gitignore aware, paged)

     Entries in path order, depth first; `nextCursor` continues a long listing. `.gitignore` files and
    `.git` are honoured unless `gitignore=false`. Symlinks are listed, not followed. Role
    `files.read_role`.

    Args:
        id (str):
        path (Union[Unset, str]):
        depth (Union[Unset, int]):
        glob (Union[Unset, str]):
        gitignore (Union[Unset, bool]):
        hidden (Union[Unset, bool]):
        limit (Union[Unset, int]):
        cursor (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[FileList, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        path=path,
        depth=depth,
        glob=glob,
        gitignore=gitignore,
        hidden=hidden,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    path: Union[Unset, str] = UNSET,
    depth: Union[Unset, int] = UNSET,
    glob: Union[Unset, str] = UNSET,
    gitignore: Union[Unset, bool] = UNSET,
    hidden: Union[Unset, bool] = UNSET,
    limit: Union[Unset, int] = UNSET,
    cursor: Union[Unset, str] = UNSET,
) -> Optional[Union[FileList, Problem]]:
    """List a directory (depth, glob, .gitignore aware, paged)

     Entries in path order, depth first; `nextCursor` continues a long listing. `.gitignore` files and
    `.git` are honoured unless `gitignore=false`. Symlinks are listed, not followed. Role
    `files.read_role`.

    Args:
        id (str):
        path (Union[Unset, str]):
        depth (Union[Unset, int]):
        glob (Union[Unset, str]):
        gitignore (Union[Unset, bool]):
        hidden (Union[Unset, bool]):
        limit (Union[Unset, int]):
        cursor (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[FileList, Problem]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            path=path,
            depth=depth,
            glob=glob,
            gitignore=gitignore,
            hidden=hidden,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
