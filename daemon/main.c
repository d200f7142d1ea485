/* main.c: offhookd
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "oh-daemon.h"

int
main (int    argc,
      char **argv)
{
  return oh_daemon_main (argc, argv);
}
