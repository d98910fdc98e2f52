using System;
using System.IO;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OAuthSmtp.Relay;
using OAuthSmtp.Relay.Configuration;

// OAuthSmtp.Relay run --config <relay.json>
// The same command runs in the foreground (containers, tests), as a Windows service and as a systemd unit:
// Microsoft.Extensions.Hosting detects the service manager and reports start and stop to it.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("OAuthSmtp.Relay run --config <path of relay.json>");
    Console.WriteLine("  A store-and-forward SMTP relay for devices that cannot use OAuth; it submits to Exchange Online with XOAUTH2.");
    Console.WriteLine("  Set it up with Install-SmtpOAuthRelay and Add-SmtpOAuthRelayClient (PowerShell module OAuthSmtp).");
    return args.Length == 0 ? 2 : 0;
}

if (args[0] != "run")
{
    Console.Error.WriteLine($"Unknown command '{args[0]}'. Use: OAuthSmtp.Relay run --config <path of relay.json>");
    return 2;
}

string? config = null;
for (var i = 1; i < args.Length; i++)
{
    if ((args[i] is "--config" or "-c") && i + 1 < args.Length)
    {
        config = args[++i];
    }
}

config ??= Environment.GetEnvironmentVariable("OAUTHSMTP_RELAY_CONFIG");
if (string.IsNullOrWhiteSpace(config) || !File.Exists(config))
{
    Console.Error.WriteLine($"The relay configuration '{config}' does not exist. Create it with Install-SmtpOAuthRelay, or pass --config <path of relay.json>.");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, DisableDefaults = false });
builder.Services.AddWindowsService(options => options.ServiceName = "OAuthSmtpRelay");
builder.Services.AddSystemd();
builder.Services.AddSingleton(new RelayOptions { ConfigurationPath = Path.GetFullPath(config) });
builder.Services.AddHostedService<RelayService>();
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
using var host = builder.Build();
try
{
    host.Run();
    return 0;
}
catch (RelayConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 3;
}
