build-dev/obj/render/memo.o: src/render/memo.c src/render/memo.h \
 src/core/buf.h src/core/rc.h src/core/util.h src/core/xml.h
src/render/memo.h:
src/core/buf.h:
src/core/rc.h:
src/core/util.h:
src/core/xml.h:
