using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;

namespace Veritensor.Node.Hosting;

/// <summary>
/// A server's listener: an http:// URL, or an https:// one served with the certificate from configuration
/// (<c>CertificatePath</c>: a PKCS#12 file with <c>CertificatePassword</c>, or a PEM certificate with
/// <c>CertificateKeyPath</c>). One rule for the ledger node and every role server.
/// </summary>
public sealed record ListenerTls(string? CertificatePath, string? CertificatePassword, string? CertificateKeyPath)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="section"/>'s setting that is wrong.</summary>
    public void Validate(string section, string listen, string example)
    {
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException(
                $"{section}:Listen must be an http or https URL such as {example}, got '{listen}'."
            );
        if (uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(CertificatePath))
            throw new ArgumentException(
                $"{section}:Listen is https, so {section}:CertificatePath must name the server's certificate (a .pfx, or a .pem with {section}:CertificateKeyPath)."
            );
        if (!string.IsNullOrEmpty(CertificatePath) && !File.Exists(CertificatePath))
            throw new ArgumentException($"{section}:CertificatePath '{CertificatePath}' does not exist.");
        if (!string.IsNullOrEmpty(CertificateKeyPath) && !File.Exists(CertificateKeyPath))
            throw new ArgumentException($"{section}:CertificateKeyPath '{CertificateKeyPath}' does not exist.");
    }

    internal void Apply(IWebHostBuilder host, string listen)
    {
        if (!listen.StartsWith("https:", StringComparison.OrdinalIgnoreCase) || CertificatePath is null)
            return;
        var certificate = Load();
        host.UseKestrelHttpsConfiguration();
        host.ConfigureKestrel(kestrel =>
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate)
        );
    }

    private X509Certificate2 Load()
    {
        try
        {
            return CertificateKeyPath is { Length: > 0 } key
                ? X509Certificate2.CreateFromPemFile(CertificatePath!, key)
                : X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException($"The certificate '{CertificatePath}' does not load: {e.Message}", e);
        }
    }
}
