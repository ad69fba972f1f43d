# Build: docker build -t shellwise .
# Run:   docker run -p 8080:8080 -e SHELLWISE_TOKEN=change-me --cap-add SYS_ADMIN \
#          --security-opt seccomp=unconfined --security-opt apparmor=unconfined shellwise
# The capability and the relaxed container profiles let the server give each command its own
# pid/mount/IPC namespaces and private /tmp (Landlock and seccomp need neither). Without them
# those layers are left out and /readyz lists them under isolation.missing.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin shellwise

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 bash procps util-linux \
 && rm -rf /var/lib/apt/lists/*
# No user is created: each token's commands run as a uid of their own (limits.uid_range), and
# the state dir (/var/lib/shellwise, 0700) is nobody's home.
COPY --from=build /src/target/release/shellwise /usr/local/bin/shellwise
ENV SHELLWISE__SERVER__BIND=0.0.0.0:8080
# Commands work in /work, each token in a directory of its own there (owned by its uid, 0700).
# The server refuses to start in `/` with no workspace: commands could write anywhere.
RUN mkdir -m 0755 /work
WORKDIR /work
ENV SHELLWISE__WORKSPACE__PER_TOKEN=true
EXPOSE 8080
# A token must be configured (SHELLWISE_TOKEN or auth.tokens) to listen on 0.0.0.0.
ENTRYPOINT ["/usr/local/bin/shellwise"]
CMD ["serve"]
