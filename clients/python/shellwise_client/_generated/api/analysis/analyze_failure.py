from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.analysis import Analysis
from ...models.analyze_request import AnalyzeRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: AnalyzeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/analyze",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[Analysis, Problem]]:
    if response.status_code == 200:
        response_200 = Analysis.from_dict(response.json())

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

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[Analysis, Problem]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AnalyzeRequest,
) -> Response[Union[Analysis, Problem]]:
    """Explain why a command failed, from its exit code and output

     Takes a failure the caller already has (e.g. a CI step's log) and returns a structured analysis:
    category, root cause, evidence lines quoted from the output, a confidence, and fixes as commands
    checked against the policy. Output is redacted before analysis. Needs the analyst role.

    Args:
        body (AnalyzeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Analysis, Problem]]
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
    body: AnalyzeRequest,
) -> Optional[Union[Analysis, Problem]]:
    """Explain why a command failed, from its exit code and output

     Takes a failure the caller already has (e.g. a CI step's log) and returns a structured analysis:
    category, root cause, evidence lines quoted from the output, a confidence, and fixes as commands
    checked against the policy. Output is redacted before analysis. Needs the analyst role.

    Args:
        body (AnalyzeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Analysis, Problem]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AnalyzeRequest,
) -> Response[Union[Analysis, Problem]]:
    """Explain why a command failed, from its exit code and output

     Takes a failure the caller already has (e.g. a CI step's log) and returns a structured analysis:
    category, root cause, evidence lines quoted from the output, a confidence, and fixes as commands
    checked against the policy. Output is redacted before analysis. Needs the analyst role.

    Args:
        body (AnalyzeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Analysis, Problem]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AnalyzeRequest,
) -> Optional[Union[Analysis, Problem]]:
    """Explain why a command failed, from its exit code and output

     Takes a failure the caller already has (e.g. a CI step's log) and returns a structured analysis:
    category, root cause, evidence lines quoted from the output, a confidence, and fixes as commands
    checked against the policy. Output is redacted before analysis. Needs the analyst role.

    Args:
        body (AnalyzeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Analysis, Problem]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
