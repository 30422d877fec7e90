using Iot.Cloud.Storage;
using Iot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Registry;

/// <summary>Wires the registry and its API.</summary>
public static class RegistryServices
{
    /// <summary>The gateway registry, seeded from <c>Registry:Gateways</c>, and the trace registry's records.</summary>
    public static IHostApplicationBuilder AddRegistry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RegistryOptions>(builder.Configuration, RegistryOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var registry = new GatewayRegistry(sp.GetRequiredService<CloudDatabase>(), sp.GetRequiredService<TimeProvider>());
            var seed = sp.GetRequiredService<IOptions<RegistryOptions>>().Value.Gateways;
            for (int i = 0; i < seed.Count; i++)
            {
                try
                {
                    registry.Register(seed[i].Id, seed[i].Name);
                    if (seed[i].Secret is { } secret)
                    {
                        registry.SetSecret(seed[i].Id, secret);
                    }
                }
                catch (InvalidRecordException e)
                {
                    string key = e.Field switch { "id" => "Id", "name" => "Name", _ => "Secret" };
                    throw new ArgumentException($"{RegistryOptions.Section}:Gateways:{i}:{key}: {e.Reason}", e);
                }
            }

            return registry;
        });
        builder.Services.AddSingleton<GatewayStatusBoard>();
        builder.Services.AddSingleton<RegistryStore>();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/gateways</c>, <c>GET /api/gateways/{id}</c>, <c>POST /api/gateways</c> <c>{"id","name","secret"?}</c>,
    /// <c>PUT /api/gateways/{id}/secret</c> <c>{"secret"}</c> (the secret is never shown again),
    /// <c>GET /api/gateways/{id}/status</c> (its last status: online or offline, outbox, sensors).
    /// </summary>
    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder app)
    {
        var gateways = app.MapGroup("/api/gateways").WithTags("Registry");
        gateways.MapGet("/", (GatewayRegistry registry) => registry.List());
        gateways.MapGet("/{id}", (string id, GatewayRegistry registry) =>
            registry.Find(id) is { } gateway
                ? Results.Ok(gateway)
                : Results.Problem(statusCode: 404, title: "No such gateway", detail: $"gateway '{id}' is not registered"));
        gateways.MapPost("/", (GatewayRegistration registration, GatewayRegistry registry) =>
        {
            try
            {
                if (registration.Secret is { } secret && !GatewaySecrets.IsAcceptable(secret, out string? reason))
                {
                    throw new InvalidRecordException("secret", reason);
                }

                var (gateway, created) = registry.Register(registration.Id, registration.Name);
                if (created && registration.Secret is { } newSecret)
                {
                    gateway = registry.SetSecret(gateway.Id, newSecret);
                }

                return created ? Results.Created($"/api/gateways/{gateway.Id}", gateway) : Results.Ok(gateway);
            }
            catch (InvalidRecordException e)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Reason] }, title: "The gateway cannot be registered");
            }
        });
        gateways.MapGet("/{id}/status", (string id, GatewayStatusBoard board, GatewayRegistry registry) =>
            board.Find(id) is { } status
                ? Results.Ok(status)
                : Results.Problem(
                    statusCode: 404,
                    title: "No status",
                    detail: registry.Find(id) is null ? $"gateway '{id}' is not registered" : $"gateway '{id}' has sent no status since the cloud started"));
        gateways.MapPut("/{id}/secret", (string id, GatewaySecretChange change, GatewayRegistry registry) =>
        {
            if (registry.Find(id) is null)
            {
                return Results.Problem(statusCode: 404, title: "No such gateway", detail: $"gateway '{id}' is not registered");
            }

            try
            {
                registry.SetSecret(id, change.Secret);
                return Results.NoContent();
            }
            catch (InvalidRecordException e)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Reason] }, title: "The secret cannot be set");
            }
        });
        return app;
    }
}

/// <summary>The body of <c>PUT /api/gateways/{id}/secret</c>.</summary>
public sealed record GatewaySecretChange(string? Secret);
