from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.exec_request import ExecRequest
from ...models.policy_decision import PolicyDecision
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ExecRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/policy/check",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[PolicyDecision, Problem]]:
    if response.status_code == 200:
        response_200 = PolicyDecision.from_dict(response.json())

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

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[PolicyDecision, Problem]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ExecRequest,
) -> Response[Union[PolicyDecision, Problem]]:
    """Dry run: what would the policy decide for this command, and why

     Takes the same body as runCommand and returns the decision (`allow`, `deny`, `confirm`) under the
    caller's approval mode (and which mode, from where), the deciding rule and its reason, and the
    decision for every simple command found in it. Nothing runs. Viewer role.

    Args:
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[PolicyDecision, Problem]]
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
    body: ExecRequest,
) -> Optional[Union[PolicyDecision, Problem]]:
    """Dry run: what would the policy decide for this command, and why

     Takes the same body as runCommand and returns the decision (`allow`, `deny`, `confirm`) under the
    caller's approval mode (and which mode, from where), the deciding rule and its reason, and the
    decision for every simple command found in it. Nothing runs. Viewer role.

    Args:
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[PolicyDecision, Problem]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ExecRequest,
) -> Response[Union[PolicyDecision, Problem]]:
    """Dry run: what would the policy decide for this command, and why

     Takes the same body as runCommand and returns the decision (`allow`, `deny`, `confirm`) under the
    caller's approval mode (and which mode, from where), the deciding rule and its reason, and the
    decision for every simple command found in it. Nothing runs. Viewer role.

    Args:
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[PolicyDecision, Problem]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ExecRequest,
) -> Optional[Union[PolicyDecision, Problem]]:
    """Dry run: what would the policy decide for this command, and why

     Takes the same body as runCommand and returns the decision (`allow`, `deny`, `confirm`) under the
    caller's approval mode (and which mode, from where), the deciding rule and its reason, and the
    decision for every simple command found in it. Nothing runs. Viewer role.

    Args:
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[PolicyDecision, Problem]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
