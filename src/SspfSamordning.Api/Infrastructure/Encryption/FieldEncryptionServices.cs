using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>Registration of field-level encryption.</summary>
public static class FieldEncryptionServices
{
    /// <summary>
    /// Registers the key store (data keys in <typeparamref name="TContext"/>, which must map them with
    /// <see cref="DataKeyModel.AddDataKeys"/>), the interceptors, the blind index and re-encryption.
    /// Needs Data Protection registered (with <see cref="MasterKey.ProtectKeysWithMasterKey"/>); the
    /// DbContext options must call <see cref="UseFieldEncryption"/>. Throws outside Development when
    /// <c>Encryption:BlindIndexKey</c> is missing.
    /// </summary>
    public static IServiceCollection AddFieldEncryption<TContext>(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
        where TContext : DbContext
    {
        services.TryAddSingleton(TimeProvider.System);
        // Encryption:UnwrappedKeyCacheSeconds (default 120; 0 turns it off): how long an unwrap is remembered (UnwrappedKeyCache).
        services.AddSingleton(sp => new UnwrappedKeyCache(sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(configuration.GetValue(UnwrappedKeyCache.LifetimeSetting, UnwrappedKeyCache.DefaultLifetimeSeconds))));
        services.AddSingleton(sp => new DataKeyStore(
            sp.GetRequiredService<IServiceScopeFactory>(),
            static scoped => scoped.GetRequiredService<TContext>(),
            sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<UnwrappedKeyCache>()));
        services.AddSingleton<KeyRings>();
        services.AddSingleton<FieldReEncryption>();
        services.AddSingleton(BlindIndex.FromConfiguration(configuration, environment));
        return services;
    }

    /// <summary>Encrypts on save (<see cref="EncryptOnSaveInterceptor"/>, one stateless instance per process) and decrypts on
    /// materialization (<see cref="DecryptingMaterializerSource"/>). Both find the app's <see cref="KeyRings"/> through the
    /// context's application service provider, so register the context with AddDbContext.</summary>
    public static DbContextOptionsBuilder UseFieldEncryption(this DbContextOptionsBuilder options) =>
        options.AddInterceptors(EncryptOnSaveInterceptor.Instance)
            .ReplaceService<Microsoft.EntityFrameworkCore.Query.IStructuralTypeMaterializerSource, DecryptingMaterializerSource>();
}
