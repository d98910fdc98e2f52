using System;
using System.IO;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

public sealed class RelayStatusFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oauthsmtp-relay-status-tests", Guid.NewGuid().ToString("N"));

    private string StatusPath => Path.Combine(_folder, "status.json");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void What_the_relay_writes_reads_back()
    {
        var status = new RelayStatus
        {
            State = RelayState.Running,
            ProcessId = Environment.ProcessId,
            StartedOn = DateTimeOffset.UtcNow.AddMinutes(-5),
            UpdatedOn = DateTimeOffset.UtcNow,
            Listeners = { "127.0.0.1:587" },
            QueueDepth = 3,
            DeadLetters = 1,
            DeliveryUnknown = 2,
            Submitted = 42,
            CredentialWarnings = { new RelayCredentialWarning { Profile = "Scanner", ExpiresOn = DateTimeOffset.UtcNow.AddDays(10), Message = "expires in 10 days" } },
        };
        for (var i = 0; i < 30; i++)
        {
            status.LastErrors.Add(new RelayStatusError { Time = DateTimeOffset.UtcNow, ErrorId = ErrorIds.RecipientRejected, Message = "error " + i });
        }

        RelayStatusFile.Write(StatusPath, status);
        var read = RelayStatusFile.Read(StatusPath)!;

        Assert.Equal(RelayState.Running, read.State);
        Assert.Equal(new[] { "127.0.0.1:587" }, read.Listeners);
        Assert.Equal((3, 1, 2, 42L), (read.QueueDepth, read.DeadLetters, read.DeliveryUnknown, read.Submitted));
        Assert.Equal(RelayStatus.MaxLastErrors, read.LastErrors.Count);
        Assert.Equal("error 29", read.LastErrors[^1].Message);
        Assert.Equal("Scanner", Assert.Single(read.CredentialWarnings).Profile);
        Assert.Contains("\"state\": \"Running\"", File.ReadAllText(StatusPath));
    }

    [Fact]
    public void A_running_state_whose_process_is_gone_reads_as_not_running()
    {
        RelayStatusFile.Write(StatusPath, new RelayStatus { State = RelayState.Running, ProcessId = 4242 });
        Assert.Equal(RelayState.NotRunning, RelayStatusFile.Read(StatusPath, _ => false)!.State);
        Assert.Equal(RelayState.Running, RelayStatusFile.Read(StatusPath, _ => true)!.State);

        RelayStatusFile.Write(StatusPath, new RelayStatus { State = RelayState.Faulted, ProcessId = 4242 });
        Assert.Equal(RelayState.Faulted, RelayStatusFile.Read(StatusPath, _ => false)!.State);
    }

    [Fact]
    public void No_file_is_null_and_a_damaged_one_is_an_error()
    {
        Assert.Null(RelayStatusFile.Read(StatusPath));
        Directory.CreateDirectory(_folder);
        File.WriteAllText(StatusPath, "{ half");
        var error = Assert.Throws<OAuthSmtpException>(() => RelayStatusFile.Read(StatusPath));
        Assert.Equal(ErrorIds.RelayStatusCorrupt, error.ErrorId);
        Assert.Contains("Start-SmtpOAuthRelay", error.Fix);
    }
}
