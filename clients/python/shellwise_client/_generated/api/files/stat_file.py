from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.file_info import FileInfo
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    params["path"] = path

    params["pathBase64"] = path_base_64

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/workspaces/{id}/files/stat".format(
            id=id,
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[FileInfo, Problem]]:
    if response.status_code == 200:
        response_200 = FileInfo.from_dict(response.json())

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
) -> Response[Union[FileInfo, Problem]]:
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
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
) -> Response[Union[FileInfo, Problem]]:
    """What is at a path (a final symlink is described, not followed)

     Kind, size, permissions, modification time, `etag` for files, target for symlinks. Role
    `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[FileInfo, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        path=path,
        path_base_64=path_base_64,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
) -> Optional[Union[FileInfo, Problem]]:
    """What is at a path (a final symlink is described, not followed)

     Kind, size, permissions, modification time, `etag` for files, target for symlinks. Role
    `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[FileInfo, Problem]
    """

    return sync_detailed(
        id=id,
        client=client,
        path=path,
        path_base_64=path_base_64,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
) -> Response[Union[FileInfo, Problem]]:
    """What is at a path (a final symlink is described, not followed)

     Kind, size, permissions, modification time, `etag` for files, target for symlinks. Role
    `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[FileInfo, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        path=path,
        path_base_64=path_base_64,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
) -> Optional[Union[FileInfo, Problem]]:
    """What is at a path (a final symlink is described, not followed)

     Kind, size, permissions, modification time, `etag` for files, target for symlinks. Role
    `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[FileInfo, Problem]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            path=path,
            path_base_64=path_base_64,
        )
    ).parsed
