from http import HTTPStatus
from typing import Any, Optional, Union

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.selected_model import SelectedModel
from ...models.selected_model_state import SelectedModelState
from ...types import Response


def _get_kwargs(
    *,
    body: SelectedModel,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/models/selected",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Optional[Union[Problem, SelectedModelState]]:
    if response.status_code == 200:
        response_200 = SelectedModelState.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: Union[AuthenticatedClient, Client], response: httpx.Response
) -> Response[Union[Problem, SelectedModelState]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SelectedModel,
) -> Response[Union[Problem, SelectedModelState]]:
    """Set the default LLM provider and model for chat and failure analysis

     Sets the model used when a request names no provider or model, including the analysis of failed
    commands, and keeps it across restarts. The provider must be configured; when it can be asked, the
    model must be among the models it lists. Needs the admin role.

    Args:
        body (SelectedModel): The default model requests use when they name none. Example:
            {'provider': 'local', 'model': 'llama3.2'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, SelectedModelState]]
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
    body: SelectedModel,
) -> Optional[Union[Problem, SelectedModelState]]:
    """Set the default LLM provider and model for chat and failure analysis

     Sets the model used when a request names no provider or model, including the analysis of failed
    commands, and keeps it across restarts. The provider must be configured; when it can be asked, the
    model must be among the models it lists. Needs the admin role.

    Args:
        body (SelectedModel): The default model requests use when they name none. Example:
            {'provider': 'local', 'model': 'llama3.2'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, SelectedModelState]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SelectedModel,
) -> Response[Union[Problem, SelectedModelState]]:
    """Set the default LLM provider and model for chat and failure analysis

     Sets the model used when a request names no provider or model, including the analysis of failed
    commands, and keeps it across restarts. The provider must be configured; when it can be asked, the
    model must be among the models it lists. Needs the admin role.

    Args:
        body (SelectedModel): The default model requests use when they name none. Example:
            {'provider': 'local', 'model': 'llama3.2'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Problem, SelectedModelState]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SelectedModel,
) -> Optional[Union[Problem, SelectedModelState]]:
    """Set the default LLM provider and model for chat and failure analysis

     Sets the model used when a request names no provider or model, including the analysis of failed
    commands, and keeps it across restarts. The provider must be configured; when it can be asked, the
    model must be among the models it lists. Needs the admin role.

    Args:
        body (SelectedModel): The default model requests use when they name none. Example:
            {'provider': 'local', 'model': 'llama3.2'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Problem, SelectedModelState]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
