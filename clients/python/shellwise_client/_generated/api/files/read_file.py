from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.file_content import FileContent
from ...models.output_encoding import OutputEncoding
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
    start_line: Union[Unset, int] = UNSET,
    end_line: Union[Unset, int] = UNSET,
    max_bytes: Union[Unset, int] = UNSET,
    encoding: Union[Unset, OutputEncoding] = UNSET,
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    params["path"] = path

    params["pathBase64"] = path_base_64

    params["offset"] = offset

    params["length"] = length

    params["startLine"] = start_line

    params["endLine"] = end_line

    params["maxBytes"] = max_bytes

    json_encoding: Union[Unset, str] = UNSET
    if not isinstance(encoding, Unset):
        json_encoding = encoding.value

    params["encoding"] = json_encoding

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/workspaces/{id}/files".format(
            id=id,
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[FileContent, Problem]]:
    if response.status_code == 200:
        response_200 = FileContent.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[FileContent, Problem]]:
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
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
    start_line: Union[Unset, int] = UNSET,
    end_line: Union[Unset, int] = UNSET,
    max_bytes: Union[Unset, int] = UNSET,
    encoding: Union[Unset, OutputEncoding] = UNSET,
) -> Response[Union[FileContent, Problem]]:
    """Read a file, or a byte or line range of it (redacted, paged)

     Text (base64 if not UTF-8) and the `etag` to send back as `ifMatch`. Long files come in pages
    (`truncated`, then `nextOffset` or `lines.next`) that start and end on whole lines. Secrets are
    replaced (`redactions` counts them). Role `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        offset (Union[Unset, int]):
        length (Union[Unset, int]):
        start_line (Union[Unset, int]):
        end_line (Union[Unset, int]):
        max_bytes (Union[Unset, int]):
        encoding (Union[Unset, OutputEncoding]): How output bytes are carried in JSON strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[FileContent, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        path=path,
        path_base_64=path_base_64,
        offset=offset,
        length=length,
        start_line=start_line,
        end_line=end_line,
        max_bytes=max_bytes,
        encoding=encoding,
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
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
    start_line: Union[Unset, int] = UNSET,
    end_line: Union[Unset, int] = UNSET,
    max_bytes: Union[Unset, int] = UNSET,
    encoding: Union[Unset, OutputEncoding] = UNSET,
) -> Optional[Union[FileContent, Problem]]:
    """Read a file, or a byte or line range of it (redacted, paged)

     Text (base64 if not UTF-8) and the `etag` to send back as `ifMatch`. Long files come in pages
    (`truncated`, then `nextOffset` or `lines.next`) that start and end on whole lines. Secrets are
    replaced (`redactions` counts them). Role `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        offset (Union[Unset, int]):
        length (Union[Unset, int]):
        start_line (Union[Unset, int]):
        end_line (Union[Unset, int]):
        max_bytes (Union[Unset, int]):
        encoding (Union[Unset, OutputEncoding]): How output bytes are carried in JSON strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[FileContent, Problem]
    """

    return sync_detailed(
        id=id,
        client=client,
        path=path,
        path_base_64=path_base_64,
        offset=offset,
        length=length,
        start_line=start_line,
        end_line=end_line,
        max_bytes=max_bytes,
        encoding=encoding,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
    start_line: Union[Unset, int] = UNSET,
    end_line: Union[Unset, int] = UNSET,
    max_bytes: Union[Unset, int] = UNSET,
    encoding: Union[Unset, OutputEncoding] = UNSET,
) -> Response[Union[FileContent, Problem]]:
    """Read a file, or a byte or line range of it (redacted, paged)

     Text (base64 if not UTF-8) and the `etag` to send back as `ifMatch`. Long files come in pages
    (`truncated`, then `nextOffset` or `lines.next`) that start and end on whole lines. Secrets are
    replaced (`redactions` counts them). Role `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        offset (Union[Unset, int]):
        length (Union[Unset, int]):
        start_line (Union[Unset, int]):
        end_line (Union[Unset, int]):
        max_bytes (Union[Unset, int]):
        encoding (Union[Unset, OutputEncoding]): How output bytes are carried in JSON strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[FileContent, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        path=path,
        path_base_64=path_base_64,
        offset=offset,
        length=length,
        start_line=start_line,
        end_line=end_line,
        max_bytes=max_bytes,
        encoding=encoding,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    path: str,
    path_base_64: Union[Unset, str] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
    start_line: Union[Unset, int] = UNSET,
    end_line: Union[Unset, int] = UNSET,
    max_bytes: Union[Unset, int] = UNSET,
    encoding: Union[Unset, OutputEncoding] = UNSET,
) -> Optional[Union[FileContent, Problem]]:
    """Read a file, or a byte or line range of it (redacted, paged)

     Text (base64 if not UTF-8) and the `etag` to send back as `ifMatch`. Long files come in pages
    (`truncated`, then `nextOffset` or `lines.next`) that start and end on whole lines. Secrets are
    replaced (`redactions` counts them). Role `files.read_role`.

    Args:
        id (str):
        path (str):
        path_base_64 (Union[Unset, str]):
        offset (Union[Unset, int]):
        length (Union[Unset, int]):
        start_line (Union[Unset, int]):
        end_line (Union[Unset, int]):
        max_bytes (Union[Unset, int]):
        encoding (Union[Unset, OutputEncoding]): How output bytes are carried in JSON strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[FileContent, Problem]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            path=path,
            path_base_64=path_base_64,
            offset=offset,
            length=length,
            start_line=start_line,
            end_line=end_line,
            max_bytes=max_bytes,
            encoding=encoding,
        )
    ).parsed
