/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// libFuzzer harness of the profile CSV loader (LlmProfile::ListCsv, LlmProfileHelper::Load ->
// LlmProfile::FromCsv): whatever the bytes, the loader either returns a profile or throws
// InputError; anything else (a crash, a sanitizer finding, another exception) is a bug. A loaded
// profile is summarized (every split layer) to exercise its accessors. The loader reads a path,
// so the input goes to an in-memory file (memfd). Built and run by contrib/fuzz.sh.

#include "ns3/input-error.h"
#include "ns3/llm-profile-helper.h"
#include "ns3/llm-profile.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace
{

/// An in-memory file holding the input, reachable by path.
class MemoryFile
{
  public:
    MemoryFile(const uint8_t* data, size_t size)
        : m_fd(memfd_create("edge-llm-fuzz.csv", 0))
    {
        if (m_fd < 0)
        {
            std::perror("memfd_create");
            std::abort();
        }
        size_t done = 0;
        while (done < size)
        {
            const ssize_t n = write(m_fd, data + done, size - done);
            if (n <= 0)
            {
                std::perror("write");
                std::abort();
            }
            done += static_cast<size_t>(n);
        }
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }

    ~MemoryFile()
    {
        close(m_fd);
    }

    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    const std::string& Path() const
    {
        return m_path;
    }

  private:
    int m_fd;
    std::string m_path;
};

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    MemoryFile file(data, size);
    std::vector<ns3::LlmProfile::Configuration> configs;
    try
    {
        configs = ns3::LlmProfile::ListCsv(file.Path());
    }
    catch (const ns3::InputError&)
    {
        return 0; // rejected with a message: the contract for bad input
    }
    size_t tried = 0;
    for (const auto& c : configs)
    {
        if (++tried > 4)
        {
            break; // a few configurations cover the code; more only cost time
        }
        for (uint32_t rank : {0u, c.loraRank})
        {
            try
            {
                const ns3::LlmProfile p =
                    rank == 0
                        ? ns3::LlmProfileHelper::Load(c.model, c.batch, c.seqLen, file.Path())
                        : ns3::LlmProfile::FromCsv(file.Path(), c.model, c.batch, c.seqLen, rank);
                std::ostringstream summary;
                ns3::LlmProfileHelper::PrintSummary(p, summary);
                for (uint32_t alpha = 0; alpha <= p.GetNumBlocks(); ++alpha)
                {
                    summary << p.GetDeviceFlops(alpha) << p.GetEdgeFlops(alpha)
                            << p.GetSplitActivationBytes(alpha) << p.GetDeviceTrainableParams(alpha)
                            << p.GetMeasuredEdgeTimeS(alpha);
                }
            }
            catch (const ns3::InputError&)
            {
            }
        }
    }
    return 0;
}
