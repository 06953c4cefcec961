using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Veritensor.Client;
using Veritensor.Node.Hosting;
using Veritensor.Node.Roles;

namespace Veritensor.Node.Tests;

/// <summary>Listeners may be https, with the certificate from configuration; without one, https is refused by name.</summary>
[NetworkTest]
public sealed class TlsTests
{
    private static string WriteCertificate(TestDirectory directory, string password, out string thumbprint)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddDays(1)
        );
        thumbprint = certificate.Thumbprint;
        var path = Path.Combine(directory.Path, "node.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    [Fact]
    public async Task A_ledger_node_serves_its_api_over_https_with_the_configured_certificate()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory("veritensor-tls");
        var path = WriteCertificate(directory, "secret", out var thumbprint);
        await using var node = await TestNode.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Node:Listen"] = "https://127.0.0.1:0",
                ["Node:CertificatePath"] = path,
                ["Node:CertificatePassword"] = "secret",
            }
        );
        Assert.StartsWith("https://127.0.0.1:", node.Url, StringComparison.Ordinal);
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate?.Thumbprint;
                return seen == thumbprint;
            },
        };
        using var http = new HttpClient(handler);
        var status = await http.GetFromJsonAsync(
            new Uri(node.Url + "/v1/status"),
            ApiJsonContext.Default.StatusResponse,
            ct
        );
        Assert.Equal(thumbprint, seen);
        Assert.False(string.IsNullOrEmpty(status?.ChainId));
        // Plain http to the https port gets no API answer.
        using var plain = new HttpClient();
        var e = await Assert.ThrowsAnyAsync<Exception>(() =>
            plain.GetStringAsync(
                new Uri(node.Url.Replace("https:", "http:", StringComparison.Ordinal) + "/v1/status"),
                ct
            )
        );
        Assert.True(e is HttpRequestException or IOException, e.ToString());
    }

    [Fact]
    public void An_https_listener_without_a_certificate_is_refused_naming_the_setting()
    {
        var node = Assert.Throws<ArgumentException>(() =>
            new NodeOptions { DataDir = "x", Listen = "https://127.0.0.1:9650" }.Validate()
        );
        Assert.Contains("Node:CertificatePath", node.Message, StringComparison.Ordinal);
        var role = Assert.Throws<ArgumentException>(() =>
            new RoleOptions { Listen = "https://127.0.0.1:9651" }.Validate()
        );
        Assert.Contains("Role:CertificatePath", role.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() =>
            new RoleOptions { Listen = "https://127.0.0.1:9651", CertificatePath = "/nonexistent/cert.pfx" }.Validate()
        );
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }
}
