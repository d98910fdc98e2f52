using System;
using System.IO;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Relay;
using OAuthSmtp.Relay.Configuration;

// OAuthSmtp.Relay run --config <relay home>/relay.json
// The same command runs in the foreground (containers, tests), as a Windows service and as a systemd unit
// (Type=notify): Microsoft.Extensions.Hosting detects the service manager and reports start and stop to it.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("OAuthSmtp.Relay run --config <relay home>/relay.json");
    Console.WriteLine("  A store-and-forward SMTP relay for devices that cannot use OAuth; it submits to Exchange Online with XOAUTH2.");
    Console.WriteLine("  Set it up with Install-SmtpOAuthRelay and Add-SmtpOAuthRelayClient (PowerShell module OAuthSmtp).");
    return args.Length == 0 ? 2 : 0;
}

if (args[0] != "run")
{
    Console.Error.WriteLine($"Unknown command '{args[0]}'. Use: OAuthSmtp.Relay run --config <relay home>/relay.json");
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

if (string.IsNullOrWhiteSpace(config))
{
    Console.Error.WriteLine("Name the relay's configuration: OAuthSmtp.Relay run --config <relay home>/relay.json (Install-SmtpOAuthRelay writes it).");
    return 2;
}

RelaySettings settings;
try
{
    settings = RelaySettings.Load(config);
}
catch (OAuthSmtpException ex)
{
    // The engine's message names the file and the value; its fix names the command. No stack trace.
    Console.Error.WriteLine($"{ex.ErrorId}: {ex.Message}");
    if (ex.Fix is not null)
    {
        Console.Error.WriteLine("Fix: " + ex.Fix);
    }

    return 3;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddWindowsService(options => options.ServiceName = "OAuthSmtpRelay");
builder.Services.AddSystemd();
builder.Services.AddSingleton(new RelayOptions { ConfigurationPath = Path.GetFullPath(config), Settings = settings });
builder.Services.AddHostedService<RelayService>();
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
using var host = builder.Build();
host.Run();
return Environment.ExitCode;
