build-dev/obj/core/xml.o: src/core/xml.c src/core/xml.h src/core/buf.h
src/core/xml.h:
src/core/buf.h:
