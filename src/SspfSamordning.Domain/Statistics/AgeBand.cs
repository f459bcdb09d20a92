namespace SspfSamordning.Domain.Statistics;

/// <summary>
/// The youth's age band when the case was opened, kept in plain text beside the encrypted personnummer so that the
/// statistics can count by age without decrypting anything. Coarse on purpose (three bands, no birth date or year): it
/// identifies nobody. Cases opened before the column existed have none and count as unknown.
/// </summary>
public enum AgeBand
{
    Under15,
    Age15To17,
    Age18Plus,
}

public static class AgeBands
{
    public static AgeBand Of(int age) => age switch
    {
        < 15 => AgeBand.Under15,
        < 18 => AgeBand.Age15To17,
        _ => AgeBand.Age18Plus,
    };
}
