from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.write_file_request import WriteFileRequest
from ...models.write_result import WriteResult
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: WriteFileRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/workspaces/{id}/files".format(
            id=id,
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

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
    body: WriteFileRequest,
) -> Response[Union[Problem, WriteResult]]:
    r"""Write a whole file atomically (create, overwrite or append; If-Match)

     Temp file renamed over the target: readers see old or new, never a mix. `ifMatch` (or `If-Match`)
    writes only over the version read. Created as the workspace owner. A `[REDACTED:…]` marker is
    refused unless `force`; `files.protected` paths need a confirmation. Operator role.

    Args:
        id (str):
        body (WriteFileRequest): Write a whole file (atomically: readers see the old or the new
            content, never a mix). Example: {'path': 'src/config.py', 'content': 'DEBUG = False\n',
            'ifMatch': '"4d2.4d2.18c3.2f1"'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, WriteResult]]
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
    body: WriteFileRequest,
) -> Optional[Union[Problem, WriteResult]]:
    r"""Write a whole file atomically (create, overwrite or append; If-Match)

     Temp file renamed over the target: readers see old or new, never a mix. `ifMatch` (or `If-Match`)
    writes only over the version read. Created as the workspace owner. A `[REDACTED:…]` marker is
    refused unless `force`; `files.protected` paths need a confirmation. Operator role.

    Args:
        id (str):
        body (WriteFileRequest): Write a whole file (atomically: readers see the old or the new
            content, never a mix). Example: {'path': 'src/config.py', 'content': 'DEBUG = False\n',
            'ifMatch': '"4d2.4d2.18c3.2f1"'}.

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
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: WriteFileRequest,
) -> Response[Union[Problem, WriteResult]]:
    r"""Write a whole file atomically (create, overwrite or append; If-Match)

     Temp file renamed over the target: readers see old or new, never a mix. `ifMatch` (or `If-Match`)
    writes only over the version read. Created as the workspace owner. A `[REDACTED:…]` marker is
    refused unless `force`; `files.protected` paths need a confirmation. Operator role.

    Args:
        id (str):
        body (WriteFileRequest): Write a whole file (atomically: readers see the old or the new
            content, never a mix). Example: {'path': 'src/config.py', 'content': 'DEBUG = False\n',
            'ifMatch': '"4d2.4d2.18c3.2f1"'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, WriteResult]]
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
    body: WriteFileRequest,
) -> Optional[Union[Problem, WriteResult]]:
    r"""Write a whole file atomically (create, overwrite or append; If-Match)

     Temp file renamed over the target: readers see old or new, never a mix. `ifMatch` (or `If-Match`)
    writes only over the version read. Created as the workspace owner. A `[REDACTED:…]` marker is
    refused unless `force`; `files.protected` paths need a confirmation. Operator role.

    Args:
        id (str):
        body (WriteFileRequest): Write a whole file (atomically: readers see the old or the new
            content, never a mix). Example: {'path': 'src/config.py', 'content': 'DEBUG = False\n',
            'ifMatch': '"4d2.4d2.18c3.2f1"'}.

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
        )
    ).parsed
