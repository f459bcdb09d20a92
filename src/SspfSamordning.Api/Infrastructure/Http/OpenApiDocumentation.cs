using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Makes /openapi/v1.json describe the API that runs, centrally rather than endpoint by endpoint:
/// unique schema names (the nested <c>Request</c>/<c>Response</c> records are named after their use case),
/// nullable or defaulted members not required, enums typed as strings, the bearer scheme on every signed-in
/// operation, operations tagged by their feature area, ProblemDetails answers listed, and a response
/// that has two possible bodies (the concern report's receipt or detail) shown as either.
/// </summary>
public static class OpenApiDocumentation
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddSspfOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.CreateSchemaReferenceId = info => OpenApiOptions.CreateDefaultSchemaReferenceId(info) is null ? null : SchemaName(info.Type);
            o.AddSchemaTransformer((schema, context, _) =>
            {
                DescribeSchema(schema, context.JsonTypeInfo);
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "SSPF Samordning API";
                document.Info.Description = "Errors are RFC 9457 ProblemDetails with Swedish titles. Tokens come only from the OpenID Connect server (/connect/token; discovery at /.well-known/openid-configuration): send the access token as `Authorization: Bearer <token>`. The /api/auth endpoints manage the signed-in account (password, second factor, logout); they issue no tokens.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An OAuth 2.0 reference access token from POST /connect/token (authorization code with PKCE, refresh, device code; the password grant in Development only).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, ct) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (!metadata.OfType<IAllowAnonymous>().Any())
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                await DescribeAlternativeBodiesAsync(operation, context, metadata, ct);
            });
        });

    /// <summary>
    /// A convention for the whole API, run once an endpoint's own metadata is complete: its tag is its feature area
    /// (the namespace under Features), and the ProblemDetails answers every such endpoint can give are listed.
    /// </summary>
    public static TBuilder DescribeForOpenApi<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var metadata = endpoint.Metadata;
            if (metadata.OfType<MethodInfo>().LastOrDefault() is { } handler && Area(handler) is { } area)
                metadata.Add(new TagsAttribute(area));
            var documented = metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).ToHashSet();
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern;
            var method = metadata.OfType<HttpMethodMetadata>().FirstOrDefault()?.HttpMethods.FirstOrDefault() ?? "GET";
            var changes = method is "POST" or "PUT" or "DELETE" or "PATCH";
            void Problem(int status, Type? type = null)
            {
                if (documented.Add(status))
                    metadata.Add(new ProducesResponseTypeMetadata(status, type ?? typeof(ProblemDetails), ["application/problem+json"]));
            }
            if (changes || pattern?.Parameters.Count > 0 || metadata.OfType<IAcceptsMetadata>().Any())
                Problem(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));
            Problem(StatusCodes.Status401Unauthorized);
            if (!anonymous) Problem(StatusCodes.Status403Forbidden);
            if (pattern?.Parameters.Count > 0) Problem(StatusCodes.Status404NotFound);
            if (changes && !anonymous) Problem(StatusCodes.Status409Conflict);
        });
        return builder;
    }

    /// <summary>The feature area of a handler: the namespace segment after <c>Features</c> (lambdas included).</summary>
    private static string? Area(MethodInfo handler)
    {
        var segments = (handler.DeclaringType?.Namespace ?? "").Split('.');
        var index = Array.IndexOf(segments, "Features");
        return index >= 0 && index + 1 < segments.Length ? segments[index + 1] : null;
    }

    /// <summary>A schema's name: a nested record is named with its declaring use case (<c>Login.Request</c> → <c>LoginRequest</c>).</summary>
    internal static string SchemaName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;
        if (type.IsGenericType) name += "Of" + string.Join("And", type.GetGenericArguments().Select(SchemaName));
        return type.IsNested && type.DeclaringType is { } outer ? SchemaName(outer) + name : name;
    }

    private static void DescribeSchema(OpenApiSchema schema, JsonTypeInfo info)
    {
        if (info.Type.IsEnum && schema.Enum is { Count: > 0 })
            schema.Type = JsonSchemaType.String;
        if (info.Kind != JsonTypeInfoKind.Object || schema.Required is null) return;
        foreach (var property in info.Properties)
        {
            var optional = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || (!property.PropertyType.IsValueType && (property.IsGetNullable || property.IsSetNullable))
                || property.AssociatedParameter is { HasDefaultValue: true };
            if (optional) schema.Required.Remove(property.Name);
        }
    }

    /// <summary>An endpoint that answers one status with two body types (Results&lt;Created&lt;A&gt;, Created&lt;B&gt;&gt;) documents it as oneOf.</summary>
    private static async Task DescribeAlternativeBodiesAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata, CancellationToken ct)
    {
        var alternatives = metadata.OfType<IProducesResponseTypeMetadata>()
            .Where(p => p.Type is not null && p.Type != typeof(void) && !typeof(ProblemDetails).IsAssignableFrom(p.Type))
            .GroupBy(p => p.StatusCode).Where(g => g.Select(p => p.Type).Distinct().Count() > 1);
        foreach (var group in alternatives)
        {
            if (operation.Responses?.TryGetValue(group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) != true
                || response!.Content?.TryGetValue("application/json", out var media) != true) continue;
            var oneOf = new List<IOpenApiSchema>();
            foreach (var type in group.Select(p => p.Type!).Distinct())
            {
                var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
                var name = SchemaName(type);
                context.Document!.AddComponent(name, schema);
                oneOf.Add(new OpenApiSchemaReference(name, context.Document));
            }
            media!.Schema = new OpenApiSchema { OneOf = oneOf };
        }
    }
}
