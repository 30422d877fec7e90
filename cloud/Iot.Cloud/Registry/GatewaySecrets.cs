using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Iot.Cloud.Registry;

/// <summary>
/// A gateway's MQTT password, kept only as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64): PBKDF2 with SHA-256,
/// a 16-byte random salt per secret and 10,000 iterations (a gateway secret is machine-generated and long, so the
/// iterations guard weak hand-typed ones without making a thousand gateways reconnecting after a restart costly).
/// </summary>
public static class GatewaySecrets
{
    /// <summary>Shortest secret accepted.</summary>
    public const int MinLength = 16;

    /// <summary>Longest secret accepted.</summary>
    public const int MaxLength = 200;

    const int Iterations = 10_000;
    const int SaltBytes = 16;
    const int HashBytes = 32;
    const string Scheme = "pbkdf2-sha256";

    /// <summary>Whether <paramref name="secret"/> may be a gateway secret; if not, why.</summary>
    public static bool IsAcceptable(string? secret, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        reason = secret switch
        {
            null or "" => "is empty",
            { Length: < MinLength } => $"must be at least {MinLength} characters, got {secret.Length}",
            { Length: > MaxLength } => $"must be at most {MaxLength} characters, got {secret.Length}",
            _ when secret.Any(char.IsControl) => "must not contain control characters",
            _ => null,
        };
        return reason is null;
    }

    /// <summary>The stored form of <paramref name="secret"/>, with a fresh salt.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="secret"/> is the one <paramref name="stored"/> was made from (constant time in the hash).</summary>
    public static bool Verify(string? secret, string? stored)
    {
        if (secret is null || stored is null)
        {
            return false;
        }

        string[] parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            byte[] salt = Convert.FromBase64String(parts[2]);
            byte[] expected = Convert.FromBase64String(parts[3]);
            byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
