using SspfSamordning.Api.Features.Admin;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>OAuth clients registered as the operator does (<c>--register-client</c>), for tests sharing one factory.</summary>
public static class OAuthClients
{
    private static readonly SemaphoreSlim Registration = new(1, 1);

    /// <summary>Registers the client with one redirect URI; a second registration of the same id (an earlier test of the
    /// class) is refused by the command and changes nothing, which is fine here.</summary>
    public static Task RegisterOnceAsync(SspfApiFactory factory, string clientId, string redirectUri) =>
        RegisterOnceAsync(factory, [RegisterClient.Flag, clientId, "--redirect-uri", redirectUri]);

    /// <summary>A command-line tool's client (<c>--device</c>): the device flow, public.</summary>
    public static Task RegisterDeviceOnceAsync(SspfApiFactory factory, string clientId) =>
        RegisterOnceAsync(factory, [RegisterClient.Flag, clientId, "--device"]);

    private static async Task RegisterOnceAsync(SspfApiFactory factory, string[] args)
    {
        factory.CreateClient().Dispose(); // the app is started
        await Registration.WaitAsync();
        try
        {
            await RegisterClient.RunAsync(factory.Services, args, TextWriter.Null, TextWriter.Null);
        }
        finally
        {
            Registration.Release();
        }
    }
}
