# Build: docker build -t shellwise .
# Run:   docker run -p 8080:8080 -e SHELLWISE_TOKEN=change-me shellwise
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin shellwise

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 bash procps util-linux \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/shellwise --create-home shellwise
COPY --from=build /src/target/release/shellwise /usr/local/bin/shellwise
ENV SHELLWISE__SERVER__BIND=0.0.0.0:8080
EXPOSE 8080
# A token must be configured (SHELLWISE_TOKEN or auth.tokens) to listen on 0.0.0.0.
ENTRYPOINT ["/usr/local/bin/shellwise"]
CMD ["serve"]
