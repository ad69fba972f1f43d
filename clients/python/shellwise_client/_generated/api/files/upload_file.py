from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.write_result import WriteResult
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: File,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    overwrite: Union[Unset, bool] = UNSET,
    permissions: Union[Unset, str] = UNSET,
    confirm_token: Union[Unset, str] = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["path"] = path

    params["pathBase64"] = path_base_64

    params["overwrite"] = overwrite

    params["permissions"] = permissions

    params["confirmToken"] = confirm_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/workspaces/{id}/files/raw".format(
            id=id,
        ),
        "params": params,
    }

    _kwargs["content"] = body.payload

    headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[Problem, WriteResult]]:
    if response.status_code == 200:
        response_200 = WriteResult.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[Problem, WriteResult]]:
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
    body: File,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    overwrite: Union[Unset, bool] = UNSET,
    permissions: Union[Unset, str] = UNSET,
    confirm_token: Union[Unset, str] = UNSET,
) -> Response[Union[Problem, WriteResult]]:
    """Upload raw bytes to a path (streamed, atomic, size-limited)

     The body (`application/octet-stream`, up to `files.max_upload_bytes`) is streamed to a temporary
    file and renamed into place when complete: an upload cut short leaves nothing. `If-Match` writes
    only over that version. Operator role.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        overwrite (Union[Unset, bool]):
        permissions (Union[Unset, str]):
        confirm_token (Union[Unset, str]):
        body (File): Raw bytes (a download or an upload body).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, WriteResult]]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        path=path,
        path_base_64=path_base_64,
        overwrite=overwrite,
        permissions=permissions,
        confirm_token=confirm_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    overwrite: Union[Unset, bool] = UNSET,
    permissions: Union[Unset, str] = UNSET,
    confirm_token: Union[Unset, str] = UNSET,
) -> Optional[Union[Problem, WriteResult]]:
    """Upload raw bytes to a path (streamed, atomic, size-limited)

     The body (`application/octet-stream`, up to `files.max_upload_bytes`) is streamed to a temporary
    file and renamed into place when complete: an upload cut short leaves nothing. `If-Match` writes
    only over that version. Operator role.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        overwrite (Union[Unset, bool]):
        permissions (Union[Unset, str]):
        confirm_token (Union[Unset, str]):
        body (File): Raw bytes (a download or an upload body).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, WriteResult]
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        path=path,
        path_base_64=path_base_64,
        overwrite=overwrite,
        permissions=permissions,
        confirm_token=confirm_token,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    overwrite: Union[Unset, bool] = UNSET,
    permissions: Union[Unset, str] = UNSET,
    confirm_token: Union[Unset, str] = UNSET,
) -> Response[Union[Problem, WriteResult]]:
    """Upload raw bytes to a path (streamed, atomic, size-limited)

     The body (`application/octet-stream`, up to `files.max_upload_bytes`) is streamed to a temporary
    file and renamed into place when complete: an upload cut short leaves nothing. `If-Match` writes
    only over that version. Operator role.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        overwrite (Union[Unset, bool]):
        permissions (Union[Unset, str]):
        confirm_token (Union[Unset, str]):
        body (File): Raw bytes (a download or an upload body).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, WriteResult]]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        path=path,
        path_base_64=path_base_64,
        overwrite=overwrite,
        permissions=permissions,
        confirm_token=confirm_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    overwrite: Union[Unset, bool] = UNSET,
    permissions: Union[Unset, str] = UNSET,
    confirm_token: Union[Unset, str] = UNSET,
) -> Optional[Union[Problem, WriteResult]]:
    """Upload raw bytes to a path (streamed, atomic, size-limited)

     The body (`application/octet-stream`, up to `files.max_upload_bytes`) is streamed to a temporary
    file and renamed into place when complete: an upload cut short leaves nothing. `If-Match` writes
    only over that version. Operator role.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        overwrite (Union[Unset, bool]):
        permissions (Union[Unset, str]):
        confirm_token (Union[Unset, str]):
        body (File): Raw bytes (a download or an upload body).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, WriteResult]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            path=path,
            path_base_64=path_base_64,
            overwrite=overwrite,
            permissions=permissions,
            confirm_token=confirm_token,
        )
    ).parsed
