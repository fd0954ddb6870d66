# Builds the single redress binary; the same image runs serve, worker, migrate.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/redress ./cmd/redress

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/redress /usr/local/bin/redress
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/redress"]
CMD ["serve"]
