import asyncio
import os
from shellwise_client import AsyncShellwise, OutputEvent


async def main() -> None:
    async with AsyncShellwise(os.environ["SHELLWISE_URL"], token=os.environ["SHELLWISE_TOKEN"]) as sw:
        print((await sw.run("echo hello")).stdout, end="")
        async with await sw.stream("echo streamed") as events:
            async for event in events:
                if isinstance(event, OutputEvent):
                    print(event.data, end="")


asyncio.run(main())
