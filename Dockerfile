# syntax=docker/dockerfile:1
#
# nashr serve in a small image: the binary (the Vazirmatn fonts are compiled
# into it) and the layouts and locales it serves, on distroless glibc.
#
#   docker build -t nashr .
#   docker run --rm -p 8080:8080 nashr
#   curl -o square.png 'http://127.0.0.1:8080/render/invitation-square.png?locale=fa'
#
# Serve your own layouts by mounting a folder with layouts/ and locales/
# over /srv/nashr:  docker run -v "$PWD/site:/srv/nashr:ro" -p 8080:8080 nashr

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependencies first, so that a change to nashr's own code reuses their layer.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches examples tests \
 && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
 && echo 'fn main() {}' > benches/stages.rs && echo 'fn main() {}' > examples/load.rs \
 && touch tests/serve.rs \
 && cargo build --release --locked --bin nashr \
 && rm -rf src benches examples tests target/release/.fingerprint/nashr-*
COPY . .
RUN cargo build --release --locked --bin nashr \
 && mkdir -p /out/srv/nashr \
 && cp target/release/nashr /out/nashr \
 && cp -r layouts locales /out/srv/nashr/ \
 && mkdir -p /out/usr/share/licenses/nashr \
 && cp fonts/*-OFL.txt profiles/*.LICENSE.txt /out/usr/share/licenses/nashr/

# glibc and libgcc, no shell, runs as uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/nashr /usr/local/bin/nashr
COPY --from=build /out/srv/nashr /srv/nashr
COPY --from=build /out/usr/share/licenses/nashr /usr/share/licenses/nashr
ENV RUST_LOG=nashr=info
EXPOSE 8080
# Inside a container the service must listen on all interfaces: --public
# says that is meant. Put it behind an ingress or proxy for TLS.
ENTRYPOINT ["/usr/local/bin/nashr", "serve", "--root", "/srv/nashr", "--addr", "0.0.0.0:8080", "--public"]
CMD ["--cache-mb", "128"]
