using System.Net;
using System.Net.Sockets;

namespace Platform.Resilience.Running;

/// <summary>Free loopback ports for one run, so it never clashes with <c>./platform run</c> or another test run.</summary>
public sealed record LocalPorts(int Postgres, int RabbitMq, int Redis, int Smtp, int SmtpWeb, int Gateway)
{
    public static LocalPorts Pick()
    {
        var held = new List<TcpListener>();
        try
        {
            int Next(Func<int, bool>? alsoFree = null)
            {
                while (true)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    held.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (alsoFree is null || alsoFree(port)) return port;
                }
            }

            // scripts/local/rabbitmq-env.sh puts Erlang distribution on PORT+10000 (PORT-30000 from 55000 up).
            static int DistributionPort(int port) => port + 10000 < 65000 ? port + 10000 : port - 30000;

            return new LocalPorts(Next(), Next(port => IsFree(DistributionPort(port))), Next(), Next(), Next(), Next());
        }
        finally
        {
            held.ForEach(listener => listener.Stop());
        }
    }

    private static bool IsFree(int port)
    {
        if (port is <= 1024 or > 65535) return false;
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
