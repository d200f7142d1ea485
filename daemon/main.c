/* main.c: offhookd
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <malloc.h>

#include "oh-daemon.h"

int
main (int    argc,
      char **argv)
{
  /* Messages of megabytes come and go (GetManagedObjects on a big PBX is
   * 4 MB). glibc raises its mmap threshold once such a block is freed and
   * serves the next from the heap, which then stays at its high-water
   * mark; a fixed threshold keeps big blocks mapped, given back when freed. */
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
  return oh_daemon_main (argc, argv);
}
