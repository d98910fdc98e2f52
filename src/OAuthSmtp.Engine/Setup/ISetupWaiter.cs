using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// How the doctor waits for its I/O on the caller's thread. The PowerShell layer supplies one that keeps writing
/// progress, verbose lines and device codes while it waits (streams may only be written from the pipeline thread).
/// </summary>
public interface ISetupWaiter
{
    T Wait<T>(Task<T> task);
}
