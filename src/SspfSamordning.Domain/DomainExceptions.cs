namespace SspfSamordning.Domain;

/// <summary>A broken business rule (HTTP 409). <see cref="Code"/> is an English identifier; the message is Swedish.</summary>
public sealed class DomainRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Invalid input (HTTP 400), with Swedish messages per field.</summary>
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.SelectMany(e => e.Value)))
        => Errors = errors;

    public DomainValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>The same errors with every field placed under <paramref name="prefix"/>, e.g. "guardians[1].email".</summary>
    public DomainValidationException WithPrefix(string prefix) =>
        new(Errors.ToDictionary(e => $"{prefix}.{e.Key}", e => e.Value));

    internal static string Required(string? value, string field, string message) =>
        string.IsNullOrWhiteSpace(value) ? throw new DomainValidationException(field, message) : value.Trim();
}

/// <summary>A child id that does not belong to the aggregate (HTTP 404).</summary>
public sealed class DomainNotFoundException(string entity, Guid id)
    : Exception($"{entity} {id} finns inte i ärendet.")
{
    public string Entity { get; } = entity;
    public Guid Id { get; } = id;
}
