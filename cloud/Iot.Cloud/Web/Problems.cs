using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.Web;

/// <summary>
/// Errors as RFC 7807 problem details, including requests the routes cannot even read: a body that is not JSON, or
/// JSON of the wrong shape, is a 400 whose detail says what and where (the JSON path, line and position).
/// </summary>
public static class Problems
{
    /// <summary>Problem details for every error; bad requests thrown to the exception handler so they get them too.</summary>
    public static IHostApplicationBuilder AddProblems(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.Exception is BadHttpRequestException bad)
            {
                context.HttpContext.Response.StatusCode = bad.StatusCode;
                context.ProblemDetails.Status = bad.StatusCode;
                context.ProblemDetails.Title = "The request cannot be read";
                context.ProblemDetails.Detail = bad.InnerException is JsonException json
                    ? $"{bad.Message} {json.Message}"
                    : bad.Message;
            }
        });
        return builder;
    }
}
