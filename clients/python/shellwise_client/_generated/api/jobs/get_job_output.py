from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_output import JobOutput
from ...models.output_stream import OutputStream
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    stream: Union[Unset, OutputStream] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    json_stream: Union[Unset, str] = UNSET
    if not isinstance(stream, Unset):
        json_stream = stream.value

    params["stream"] = json_stream

    params["offset"] = offset

    params["length"] = length

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs/{id}/output".format(
            id=id,
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[JobOutput, Problem]]:
    if response.status_code == 200:
        response_200 = JobOutput.from_dict(response.json())

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
) -> Response[Union[JobOutput, Problem]]:
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
    stream: Union[Unset, OutputStream] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
) -> Response[Union[JobOutput, Problem]]:
    """Read a byte range of a job's stored (redacted) stdout or stderr

     Output is stored redacted as it arrives, so a running job can be read too. Page with `nextOffset`;
    `complete` says whether more can come.

    Args:
        id (str):
        stream (Union[Unset, OutputStream]): Which output stream.
        offset (Union[Unset, int]):
        length (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[JobOutput, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        stream=stream,
        offset=offset,
        length=length,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    stream: Union[Unset, OutputStream] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
) -> Optional[Union[JobOutput, Problem]]:
    """Read a byte range of a job's stored (redacted) stdout or stderr

     Output is stored redacted as it arrives, so a running job can be read too. Page with `nextOffset`;
    `complete` says whether more can come.

    Args:
        id (str):
        stream (Union[Unset, OutputStream]): Which output stream.
        offset (Union[Unset, int]):
        length (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[JobOutput, Problem]
    """

    return sync_detailed(
        id=id,
        client=client,
        stream=stream,
        offset=offset,
        length=length,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    stream: Union[Unset, OutputStream] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
) -> Response[Union[JobOutput, Problem]]:
    """Read a byte range of a job's stored (redacted) stdout or stderr

     Output is stored redacted as it arrives, so a running job can be read too. Page with `nextOffset`;
    `complete` says whether more can come.

    Args:
        id (str):
        stream (Union[Unset, OutputStream]): Which output stream.
        offset (Union[Unset, int]):
        length (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[JobOutput, Problem]]
    """

    kwargs = _get_kwargs(
        id=id,
        stream=stream,
        offset=offset,
        length=length,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    stream: Union[Unset, OutputStream] = UNSET,
    offset: Union[Unset, int] = UNSET,
    length: Union[Unset, int] = UNSET,
) -> Optional[Union[JobOutput, Problem]]:
    """Read a byte range of a job's stored (redacted) stdout or stderr

     Output is stored redacted as it arrives, so a running job can be read too. Page with `nextOffset`;
    `complete` says whether more can come.

    Args:
        id (str):
        stream (Union[Unset, OutputStream]): Which output stream.
        offset (Union[Unset, int]):
        length (Union[Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[JobOutput, Problem]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            stream=stream,
            offset=offset,
            length=length,
        )
    ).parsed
