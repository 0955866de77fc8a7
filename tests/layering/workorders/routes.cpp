// A fixture, never compiled: a domain module's file that reaches up into the
// application and includes Beast. The include check must refuse both.
#include <boost/beast/http.hpp>

#include "api/call.h"
#include "app/modules.h"
#include "workorders/workorders.h"
