using System.Net;
using System.Text.Json;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>A command-line tool's side of the device flow (RFC 8628), by hand.</summary>
public static class DeviceFlowSteps
{
    public const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

    public sealed record DeviceCode(string Code, string UserCode, string VerificationUri);

    public static async Task<DeviceCode> RequestAsync(HttpClient http, string clientId)
    {
        var response = await http.PostAsync(OpenIdServer.DeviceAuthorizationPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId, ["scope"] = $"{OpenIdServer.ApiScope} offline_access",
        }));
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        return new DeviceCode(body.GetProperty("device_code").GetString()!, body.GetProperty("user_code").GetString()!,
            body.GetProperty("verification_uri").GetString()!);
    }

    public static Task<HttpResponseMessage> PollAsync(HttpClient http, string clientId, DeviceCode device) =>
        http.PostAsync(OpenIdServer.TokenPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = DeviceGrant, ["client_id"] = clientId, ["device_code"] = device.Code,
        }));

    public static async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }
}
